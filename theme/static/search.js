// guidegen search box. Loaded on first use by guidegen.js; loads the language's index
// (search/index.js, then only the shards and sections a query needs) and the Snowball
// stemmers, so a query in one form finds another ("сборка" finds "сборки"). The index
// files call ggSearchLoad(name, data): plain scripts, so search also works from disk.
(function () {
  "use strict";
  var box = document.querySelector(".gg-search");
  if (!box || box.getAttribute("data-ready")) return;
  box.setAttribute("data-ready", "1");
  var root = box.getAttribute("data-root") || "";
  var input = box.querySelector("input");
  var panel = box.querySelector(".gg-search-results");
  var say = function (key) { return box.getAttribute("data-" + key) || ""; };
  var fromDisk = location.protocol === "file:";

  // ---- loading: one <script> per file, each calling ggSearchLoad(name, data).
  var loaded = {}, pending = {};
  window.ggSearchLoad = function (name, data) {
    loaded[name] = data;
    (pending[name] || []).forEach(function (p) { p.resolve(data); });
    delete pending[name];
  };
  function script(src, name) {
    return new Promise(function (resolve, reject) {
      if (name in loaded) return resolve(loaded[name]);
      var first = !pending[name];
      (pending[name] = pending[name] || []).push({ resolve: resolve, reject: reject });
      if (!first) return;
      var s = document.createElement("script");
      s.src = src;
      s.async = true;
      s.onerror = function () {
        (pending[name] || []).forEach(function (p) { p.reject(new Error(src)); });
        delete pending[name];
      };
      if (name === "stemmers") s.onload = function () { window.ggSearchLoad("stemmers", window.ggStemmers); };
      document.head.appendChild(s);
    });
  }
  function file(name) { return script(root + "search/" + name + ".js", name); }
  var ready = Promise.all([file("index"), script(root + "assets/stemmers.js", "stemmers")]);

  // ---- words, exactly as the index has them (src/search/words.rs).
  var WORD = /[\p{Alphabetic}\p{N}]+/gu;
  function norm(w) { return w.toLowerCase().replace(/ё/g, "е"); }
  function stem(w) {
    var s = loaded.stemmers;
    if (/[а-я]/.test(w)) return s.ru.stem(w);
    if (/[a-z]/.test(w)) return s.en.stem(w);
    return w;
  }
  function words(text) {
    return (text.match(WORD) || []).filter(function (w) { return Array.from(w).length >= 2; }).map(norm);
  }

  // ---- the index: which shard holds a stem, which page holds a section.
  function shardOf(s) {
    var first = loaded.index.shards, lo = 0, hi = first.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (first[mid] <= s) lo = mid; else hi = mid - 1;
    }
    return lo;
  }
  function pageOf(sec) {
    var first = loaded.index.pages, lo = 0, hi = first.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (first[mid] <= sec) lo = mid; else hi = mid - 1;
    }
    return lo;
  }
  // A query term: its stem, and for the word being typed also what starts with it.
  function postings(term) {
    if (!loaded.index.shards.length) return Promise.resolve({});
    var names = {};
    names[shardOf(term.stem)] = true;
    if (term.prefix) {
      for (var i = shardOf(term.prefix); i <= shardOf(term.prefix + "\uffff"); i++) names[i] = true;
    }
    var keys = Object.keys(names);
    return Promise.all(keys.map(function (i) { return file("t" + i); })).then(function (shards) {
      var hits = {};
      shards.forEach(function (shard) {
        Object.keys(shard).forEach(function (s) {
          if (s !== term.stem && !(term.prefix && s.indexOf(term.prefix) === 0)) return;
          var p = shard[s];
          for (var k = 0; k < p.length; k += 2) hits[p[k]] = Math.max(hits[p[k]] || 0, p[k + 1]);
        });
      });
      return hits;
    });
  }

  function search(query) {
    var ws = words(query);
    if (!ws.length) return Promise.resolve(null);
    var typing = !/\s$/.test(query);
    var terms = ws.map(function (w, i) {
      var last = typing && i === ws.length - 1 && Array.from(w).length >= 3;
      return { stem: stem(w), prefix: last ? w : null };
    });
    return Promise.all(terms.map(postings)).then(function (lists) {
      var score = {}, matched = {};
      lists.forEach(function (hits) {
        Object.keys(hits).forEach(function (sec) {
          score[sec] = (score[sec] || 0) + hits[sec];
          matched[sec] = (matched[sec] || 0) + 1;
        });
      });
      // Sections with every word first; then the best section of each page.
      var best = {};
      Object.keys(score).forEach(function (sec) {
        var s = score[sec] + 100000 * matched[sec], page = pageOf(+sec);
        if (!best[page] || s > best[page].s) best[page] = { sec: +sec, s: s, all: matched[sec] === lists.length };
      });
      var top = Object.keys(best).map(function (p) { return best[p]; })
        .sort(function (a, b) { return b.s - a.s || a.sec - b.sec; }).slice(0, 24);
      var chunk = loaded.index.chunk, need = {};
      top.forEach(function (r) { need[Math.floor(r.sec / chunk)] = true; });
      return Promise.all(Object.keys(need).map(function (c) { return file("d" + c); })).then(function () {
        var results = top.map(function (r) {
          var d = loaded["d" + Math.floor(r.sec / chunk)][r.sec % chunk];
          return { url: d[0], title: d[1], guide: d[2], anchor: d[3], heading: d[4], text: d[5] };
        });
        // Guides share their text: the reader's own guide first, and the same section
        // of another guide only when the own guide does not have it.
        var own = box.getAttribute("data-guide");
        if (own) {
          var mine = results.filter(function (r) { return r.guide === own; });
          var seen = {};
          mine.forEach(function (r) { seen[r.title + "\n" + r.heading] = true; });
          results = mine.concat(results.filter(function (r) {
            return r.guide !== own && !seen[r.title + "\n" + r.heading];
          }));
        }
        return { terms: terms, results: results.slice(0, 8) };
      });
    });
  }

  // ---- showing results.
  function esc(s) {
    return s.replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; });
  }
  function isMatch(word, terms) {
    var w = norm(word), s = stem(w);
    return terms.some(function (t) { return s === t.stem || (t.prefix && w.indexOf(t.prefix) === 0); });
  }
  function snippet(text, terms) {
    var m, at = -1, marks = [];
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) {
      if (Array.from(m[0]).length >= 2 && isMatch(m[0], terms)) {
        if (at < 0) at = m.index;
        marks.push([m.index, m.index + m[0].length]);
      }
    }
    var start = Math.max(0, at - 60);
    if (start > 0) start = text.indexOf(" ", start) + 1 || start;
    var end = Math.min(text.length, start + 200);
    var out = start > 0 ? "…" : "", pos = start;
    marks.forEach(function (r) {
      if (r[0] < start || r[1] > end) return;
      out += esc(text.slice(pos, r[0])) + "<mark>" + esc(text.slice(r[0], r[1])) + "</mark>";
      pos = r[1];
    });
    return out + esc(text.slice(pos, end)) + (end < text.length ? "…" : "");
  }
  function href(r) {
    var url = r.url;
    if (fromDisk && (url === "" || /\/$/.test(url))) url += "index.html";
    // A page path with a colon in its first segment is still a path, not a URL scheme.
    if (/^[^\/?#]*:/.test(url)) url = "./" + url;
    return root + url + (r.anchor ? "#" + encodeURIComponent(r.anchor) : "");
  }
  function show(html) {
    panel.innerHTML = html;
    panel.hidden = !html;
    input.setAttribute("aria-expanded", html ? "true" : "false");
  }
  function render(found) {
    if (!found) return show("");
    if (!found.results.length) return show('<p class="gg-search-note">' + esc(say("no-results")) + "</p>");
    show("<ul>" + found.results.map(function (r) {
      var where = [r.guide, r.anchor ? r.heading : ""].filter(Boolean).map(esc).join(" › ");
      return '<li><a href="' + esc(href(r)) + '"><span class="gg-search-title">' + esc(r.title) + "</span>" +
        (where ? '<span class="gg-search-where">' + where + "</span>" : "") +
        '<span class="gg-search-snippet">' + snippet(r.text, found.terms) + "</span></a></li>";
    }).join("") + "</ul>");
  }

  var seq = 0, timer = null;
  function run() {
    var q = input.value, mine = ++seq;
    if (!q.trim()) return show("");
    if (!loaded.index) show('<p class="gg-search-note">' + esc(say("loading")) + "</p>");
    ready.then(function () { return search(q); }).then(function (found) {
      if (mine === seq) render(found);
    }, function () {
      if (mine === seq) show('<p class="gg-search-note">' + esc(say("unavailable")) + "</p>");
    });
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 80);
  });
  input.addEventListener("keydown", function (e) {
    var links = panel.querySelectorAll("a");
    if (e.key === "ArrowDown" && links.length) { e.preventDefault(); links[0].focus(); }
    if (e.key === "Enter" && links.length) { e.preventDefault(); links[0].click(); }
    if (e.key === "Escape") { input.value = ""; show(""); }
  });
  panel.addEventListener("keydown", function (e) {
    var links = Array.prototype.slice.call(panel.querySelectorAll("a"));
    var i = links.indexOf(document.activeElement);
    if (e.key === "ArrowDown" && i < links.length - 1) { e.preventDefault(); links[i + 1].focus(); }
    if (e.key === "ArrowUp") { e.preventDefault(); (i > 0 ? links[i - 1] : input).focus(); }
    if (e.key === "Escape") { input.focus(); show(""); }
  });
  document.addEventListener("click", function (e) {
    if (!box.contains(e.target)) show("");
  });
  input.addEventListener("focus", function () { if (input.value.trim() && !panel.innerHTML) run(); });
  if (input.value.trim()) run();
})();
