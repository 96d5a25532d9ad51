// guidegen serve: live reload and the error overlay. Injected by `guidegen serve` only.
(function () {
  "use strict";
  var KEY = "guidegen-scroll:" + location.pathname;
  // Restore the scroll position saved before a reload.
  try {
    var saved = sessionStorage.getItem(KEY);
    if (saved !== null) {
      sessionStorage.removeItem(KEY);
      var y = parseInt(saved, 10);
      var restore = function () { window.scrollTo(0, y); };
      if (document.readyState === "complete") restore();
      else window.addEventListener("load", restore);
    }
  } catch (e) { /* storage disabled: reload without restoring */ }

  function overlay(text) {
    var el = document.getElementById("guidegen-overlay");
    if (!el) {
      el = document.createElement("div");
      el.id = "guidegen-overlay";
      el.setAttribute("role", "alert");
      el.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,22,26,.98);color:#f5f5f5;padding:2rem;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
      var h = document.createElement("div");
      h.style.cssText = "font:600 18px/1.4 system-ui,sans-serif;color:#ff8a80;margin-bottom:1rem";
      h.textContent = "guidegen: the last change did not build";
      var pre = document.createElement("pre");
      pre.id = "guidegen-overlay-text";
      pre.style.cssText = "white-space:pre-wrap;margin:0";
      var hint = document.createElement("div");
      hint.style.cssText = "font:14px/1.4 system-ui,sans-serif;color:#b0b7c0;margin-top:1.5rem";
      hint.textContent = "Fix the file and save it: this page reloads by itself. The page behind is the last version that built.";
      el.appendChild(h);
      el.appendChild(pre);
      el.appendChild(hint);
      document.body.appendChild(el);
    }
    document.getElementById("guidegen-overlay-text").textContent = text;
  }

  function reload() {
    try { sessionStorage.setItem(KEY, String(window.scrollY)); } catch (e) { /* ignore */ }
    location.reload();
  }

  // The last `guidegen test` result of this page's example step, on each example's
  // header (read from guidegen's results; nothing is run).
  var LABELS = {
    "passed": ["tested", "#1a7f37"],
    "failed": ["test failed", "#cf222e"],
    "timed-out": ["test timed out", "#cf222e"],
    "not-run": ["not run: errors in the files", "#cf222e"],
    "changed": ["changed since tested", "#9a6700"],
    "no-test": ["checked, no test", "#57606a"],
    "none-declared": ["no test declared", "#57606a"],
    "not-tested": ["not tested", "#9a6700"]
  };
  var me = document.currentScript;
  var step = me && me.getAttribute("data-step");
  if (step && window.fetch) {
    fetch("/__guidegen/tests.json?step=" + encodeURIComponent(step)).then(function (r) { return r.json(); }).then(function (doc) {
      var s = doc.steps && doc.steps[step];
      var label = s && LABELS[s.result];
      if (!label) return;
      var heads = document.querySelectorAll(".gg-example-head");
      for (var i = 0; i < heads.length; i++) {
        var b = document.createElement("span");
        b.className = "guidegen-tested";
        b.setAttribute("data-result", s.result);
        b.title = "guidegen test, examples/" + step + (s.when ? ", " + s.when : "");
        b.textContent = label[0];
        b.style.cssText = "margin-left:.75em;padding:0 .5em;border-radius:1em;font:600 12px/1.6 system-ui,sans-serif;color:#fff;background:" + label[1];
        heads[i].appendChild(b);
      }
    }).catch(function () { /* no results: nothing shown */ });
  }

  var hadError = false;
  var connectedOnce = false;
  function connect() {
    var es = new EventSource("/__guidegen/events");
    es.addEventListener("ok", function () {
      // A reconnect after the server restarted, or the error was fixed meanwhile.
      if (hadError || connectedOnce) { reload(); return; }
      connectedOnce = true;
    });
    es.addEventListener("reload", function () { reload(); });
    es.addEventListener("build-error", function (ev) {
      if (ev && typeof ev.data === "string") {
        hadError = true;
        connectedOnce = true;
        overlay(ev.data);
      }
    });
    es.onerror = function () {
      es.close();
      setTimeout(connect, 500);
    };
  }
  connect();
})();
