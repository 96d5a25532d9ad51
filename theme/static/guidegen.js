// guidegen default theme: copy buttons, tabs, and the mobile menu. Everything works
// without this script (code is selectable, every tab is shown, the menu is open).
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
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-gg-tabs]"), initTabs);
    // Phones: the guide menu starts closed; desktops keep it open.
    var menu = document.querySelector(".sidebar-toggle");
    if (menu && window.matchMedia("(max-width: 50rem)").matches) menu.open = false;
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
