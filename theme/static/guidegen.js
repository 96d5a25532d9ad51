// guidegen default theme: copy buttons, tabs, the mobile menu, the search box, and
// the language switcher when opened from disk. Everything but search works without
// this script (code is selectable, every tab is shown, the menu is open).
(function () {
  "use strict";
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    var ta = document.createElement("textarea");
    ta.value = text;
    ta.setAttribute("readonly", "");
    ta.style.position = "fixed";
    ta.style.opacity = "0";
    document.body.appendChild(ta);
    ta.select();
    try { document.execCommand("copy"); } finally { document.body.removeChild(ta); }
    return Promise.resolve();
  }
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest && ev.target.closest(".gg-copy");
    if (!btn) return;
    var code = btn.parentNode.querySelector("pre code");
    if (!code) return;
    var label = btn.textContent;
    copyText(code.textContent).then(function () {
      btn.textContent = btn.getAttribute("data-copied") || "Copied";
      setTimeout(function () { btn.textContent = label; }, 1500);
    });
  });
  function initTabs(root) {
    var tabs = Array.prototype.slice.call(root.querySelectorAll(':scope > .gg-tablist > [role="tab"]'));
    var panels = tabs.map(function (t) { return document.getElementById(t.getAttribute("aria-controls")); });
    function select(i, focus) {
      tabs.forEach(function (t, k) {
        var on = k === i;
        t.setAttribute("aria-selected", on ? "true" : "false");
        t.tabIndex = on ? 0 : -1;
        if (panels[k]) panels[k].hidden = !on;
      });
      if (focus) tabs[i].focus();
    }
    tabs.forEach(function (t, i) {
      t.addEventListener("click", function () { select(i, false); });
      t.addEventListener("keydown", function (e) {
        var n = tabs.length, j = null;
        if (e.key === "ArrowRight") j = (i + 1) % n;
        else if (e.key === "ArrowLeft") j = (i + n - 1) % n;
        else if (e.key === "Home") j = 0;
        else if (e.key === "End") j = n - 1;
        if (j !== null) { e.preventDefault(); select(j, true); }
      });
    });
    root.classList.add("js");
    select(0, false);
  }
  // The search box needs this script: it is shown here, and its code (search.js) and
  // index load on first use.
  function initSearch() {
    var box = document.querySelector(".gg-search");
    if (!box) return;
    var input = box.querySelector("input");
    box.hidden = false;
    var started = false;
    function start() {
      if (started) return;
      started = true;
      var s = document.createElement("script");
      s.src = box.getAttribute("data-root") + "assets/search.js";
      document.head.appendChild(s);
    }
    input.addEventListener("focus", start);
    input.addEventListener("input", start);
    document.addEventListener("keydown", function (e) {
      var t = document.activeElement && document.activeElement.tagName;
      if (e.key === "/" && !/^(INPUT|TEXTAREA|SELECT)$/.test(t || "") && !e.ctrlKey && !e.metaKey) {
        e.preventDefault();
        input.focus();
      }
    });
  }
  // A big guide's pages carry a window of its contents; the whole list is in one
  // script per guide (nav.js), loaded here and cached by the browser.
  function initNav() {
    var nav = document.querySelector(".gg-guide-nav[data-nav]");
    if (!nav) return;
    var script = document.createElement("script");
    script.src = nav.getAttribute("data-nav");
    var draft = nav.getAttribute("data-draft") || "draft";
    var strip = function (u) { return u.split("#")[0].replace(/index\.html$/, ""); };
    var here = strip(location.href);
    window.ggNavLoad = function (entries) {
      var base = script.src;
      function build(list, nested) {
        var ol = document.createElement("ol");
        ol.className = "gg-nav-list" + (nested ? " gg-nested" : "");
        var current = null;
        list.forEach(function (e) {
          var li = document.createElement("li");
          li.className = "gg-nav-item";
          var a = document.createElement("a");
          a.href = new URL(e[1], base).href;
          a.textContent = e[0];
          if (e[2]) {
            var b = document.createElement("span");
            b.className = "gg-badge";
            b.textContent = draft;
            a.appendChild(document.createTextNode(" "));
            a.appendChild(b);
          }
          li.appendChild(a);
          if (strip(a.href) === here) {
            li.classList.add("gg-current");
            a.setAttribute("aria-current", "page");
            current = a;
          }
          var sub = e[3] && e[3].length ? build(e[3], true) : null;
          if (sub) {
            li.appendChild(sub.ol);
            if (sub.current) { li.classList.add("gg-open"); current = current || sub.current; }
          }
          ol.appendChild(li);
        });
        return { ol: ol, current: current };
      }
      var built = build(entries, false);
      var old = nav.querySelector(":scope > ol.gg-nav-list");
      if (old) nav.replaceChild(built.ol, old); else nav.appendChild(built.ol);
      var side = nav.closest(".gg-sidebar");
      if (built.current && side) side.scrollTop = built.current.offsetTop - side.clientHeight / 2;
    };
    document.head.appendChild(script);
  }
  function init() {
    initNav();
    Array.prototype.forEach.call(document.querySelectorAll("[data-gg-tabs]"), initTabs);
    // Phones: the guide menu starts closed; desktops keep it open.
    var menu = document.querySelector(".gg-sidebar-toggle");
    if (menu && window.matchMedia("(max-width: 50rem)").matches) menu.open = false;
    initSearch();
    // Opened from disk: the language switcher leads to the other language's page in
    // the same output folder, not to the published site.
    if (location.protocol === "file:") {
      Array.prototype.forEach.call(document.querySelectorAll("a[data-local]"), function (a) {
        if (a.getAttribute("data-local")) a.setAttribute("href", a.getAttribute("data-local"));
      });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
