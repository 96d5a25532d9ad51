// guidegen default theme: copy buttons, tabs, the mobile menu, the search box, the
// language switcher when opened from disk, and keeping the reader's place across a
// language switch. Everything but search works without this script (code is
// selectable, every tab is shown, the menu is open).
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
    var text = code.textContent;
    // A diff copies the new version of the lines shown: no removed lines, no hunk
    // headers, no +/- (those are drawn by CSS).
    if (btn.parentNode.classList.contains("gg-diff-code")) {
      text = Array.prototype.map.call(code.querySelectorAll(".gg-dl-add, .gg-dl-ctx"), function (l) {
        return l.textContent;
      }).join("\n") + "\n";
    }
    copyText(text).then(function () {
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
  // The language switch keeps the reader's place: its links carry the section in view,
  // as the heading's own id when the author gave one (`{#id}`, the same in every
  // language) or else as its place in the heading structure (`#gg-section-3.2`: the
  // third h2, its second h3), which the page in the other language resolves to its own
  // heading at that place.
  function initPlace() {
    var article = document.querySelector(".gg-article");
    if (!article) return;
    var heads = Array.prototype.slice.call(article.querySelectorAll("h2[id], h3[id]"));
    var places = [], h2 = 0, h3 = 0;
    heads.forEach(function (h) {
      if (h.tagName === "H2") { h2++; h3 = 0; places.push(String(h2)); }
      else { h3++; places.push(h2 + "." + h3); }
    });
    var m = /^#gg-section-([0-9.]+)$/.exec(location.hash);
    if (m) {
      var i = places.indexOf(m[1]);
      // No heading at that place (the translation is shorter): the nearest section above.
      if (i < 0) i = places.indexOf(m[1].split(".")[0]);
      if (i >= 0) {
        heads[i].scrollIntoView();
        history.replaceState(null, "", "#" + heads[i].id);
      }
    }
    var links = Array.prototype.slice.call(document.querySelectorAll(".gg-langs a.gg-lang:not(.gg-missing)"));
    if (!links.length) return;
    links.forEach(function (a) { a.setAttribute("data-base", a.getAttribute("href").split("#")[0]); });
    function current() {
      var top = (parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop) || 0) + 8, at = -1;
      for (var k = 0; k < heads.length; k++) {
        if (heads[k].getBoundingClientRect().top <= top) at = k; else break;
      }
      return at;
    }
    var pending = false;
    function update() {
      pending = false;
      var k = current();
      var frag = k < 0 ? "" : "#" + (heads[k].hasAttribute("data-gg-explicit") ? heads[k].id : "gg-section-" + places[k]);
      links.forEach(function (a) { a.setAttribute("href", a.getAttribute("data-base") + frag); });
    }
    window.addEventListener("scroll", function () {
      if (!pending) { pending = true; requestAnimationFrame(update); }
    }, { passive: true });
    update();
  }
  // Inside a host site: the host's header may stay on screen (sticky or fixed). Its
  // height is where the guides' sticky sidebar and table of contents stop, and a fixed
  // header (which takes no room in the page) must not cover the guides' top.
  // book.toml's [publish] header_height sets the same in assets/hosted.css without
  // JavaScript; what is measured here wins.
  function initHost() {
    var html = document.documentElement;
    var root = document.querySelector(".gg-root");
    if (!root || !html.classList.contains("gg-hosted")) return;
    function measure() {
      var bottom = 0, fixed = false;
      var all = document.body.getElementsByTagName("*");
      for (var i = 0; i < all.length && i < 3000; i++) {
        var el = all[i];
        if (el === root) break;
        var cs = getComputedStyle(el);
        if (cs.position !== "fixed" && cs.position !== "sticky") continue;
        var r = el.getBoundingClientRect();
        if (r.top <= 1 && r.height > 0 && r.height < innerHeight / 2 && r.bottom > bottom) {
          bottom = r.bottom;
          fixed = cs.position === "fixed";
        }
      }
      if (bottom > 0) html.style.setProperty("--gg-sticky-top", Math.ceil(bottom) + "px");
      root.style.marginTop = "";
      var top = root.getBoundingClientRect().top + window.scrollY;
      if (fixed && top < bottom) root.style.marginTop = Math.ceil(bottom - top) + "px";
    }
    measure();
    window.addEventListener("resize", measure);
    window.addEventListener("load", measure);
  }
  function init() {
    initHost();
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
    initPlace();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
