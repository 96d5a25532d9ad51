// The guides inside werf.io, in a real browser: the repository's own site served by
// the deploy kit's nginx under /guides/, with a stand-in for werf.io's chrome
// (tests/fixtures/host: its header, a search form, and a stylesheet with werf.io's
// hostile global rules: `code { white-space: nowrap }`, `body { min-width: 1260px }`,
// a sticky 90 px header, rules for pre, table, a, h1-h4, ul). Usage:
// node tests/e2e/hosted.mjs [path/to/guidegen]
//
// Checks, ru and en, light and dark, desktop and phone: every code block shows as many
// lines as it has; code and prose keep 4.5:1 contrast; nothing of the guides lies under
// the host's header, at the top or scrolled (a sticky or a fixed header); the guides
// fit a phone; one search box of the guides, never beside the host's. Screenshots go
// to target/screenshots/hosted/.
import { chromium } from "playwright-core";
import { spawn, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repo, bin, chromiumPath, check, assert, finish } from "./harness.mjs";

const freePort = () => new Promise((ok) => {
  const s = createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => ok(p)); });
});
const tmp = mkdtempSync(join(tmpdir(), "guidegen-hosted-"));
const out = join(tmp, "out");
execFileSync(bin, ["build", "--no-cache", "--root", repo, "--out", out], { stdio: ["ignore", "ignore", "pipe"] });
const [port, stub] = [await freePort(), await freePort()];
const nginx = spawn(join(repo, "tests/nginx/start"), [out, join(tmp, "nginx"), String(port), String(stub)], {
  stdio: "inherit",
  env: { ...process.env, HOST_DIR: join(repo, "tests/fixtures/host") },
});
await new Promise((ok, fail) => {
  const t0 = Date.now();
  const poll = () => {
    fetch(`http://127.0.0.1:${port}/healthz`).then(ok, () => (Date.now() - t0 > 20000 ? fail(new Error("nginx did not start")) : setTimeout(poll, 100)));
  };
  poll();
});

const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP werf.io 127.0.0.1, MAP ru.werf.io 127.0.0.1"],
});
const shots = join(repo, "target/screenshots/hosted");
mkdirSync(shots, { recursive: true });
const consoleErrors = [];
const desktop = { width: 1280, height: 800 };
const phone = { width: 390, height: 844 };

async function open(url, { colorScheme = "light", viewport = desktop, bypassCSP = false } = {}) {
  const context = await browser.newContext({ viewport, colorScheme, bypassCSP });
  const page = await context.newPage();
  page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(`${url}: ${m.text()}`); });
  page.on("pageerror", (e) => consoleErrors.push(`${url}: ${e}`));
  await page.goto(url);
  await page.waitForLoadState("load");
  return page;
}

const en = `http://werf.io:${port}/guides/`;
const ru = `http://ru.werf.io:${port}/guides/`;
const chapters = [en + "flask/100_basic/010_build.html", ru + "flask/100_basic/010_build.html", en + "nodejs/100_basic/030_deploy.html", ru + "flask/500_redis.html"];

// What a reader sees of the code blocks, the contrast and the header, on the open page.
const measure = () => {
  const rgb = (s) => (s.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const bgOf = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const blocks = [...document.querySelectorAll(".gg-article .gg-code pre")].map((pre) => {
    const code = pre.querySelector("code");
    const lines = code.textContent.replace(/\n$/, "").split("\n").length;
    const cs = getComputedStyle(pre);
    const lh = parseFloat(getComputedStyle(code).lineHeight) || parseFloat(cs.lineHeight);
    const inner = pre.clientHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom);
    return { lines, shown: Math.round(inner / lh), ws: getComputedStyle(code).whiteSpace, head: code.textContent.slice(0, 30) };
  });
  const low = [];
  let texts = 0;
  const walker = document.createTreeWalker(document.querySelector(".gg-article"), NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    const el = t.parentElement;
    if (!t.textContent.trim() || el.closest(".gg-note")) continue;
    const fg = rgb(getComputedStyle(el).color).slice(0, 3), bg = bgOf(el);
    const [a, b] = [lum(fg), lum(bg)];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    texts++;
    if (ratio < 4.5) low.push(`${ratio.toFixed(2)}:1 "${t.textContent.trim().slice(0, 24)}" <${el.tagName.toLowerCase()} class="${el.className}"> rgb(${fg}) on rgb(${bg})`);
  }
  const r = (s) => { const e = document.querySelector(s); if (!e) return null; const b = e.getBoundingClientRect(); return { top: b.top, bottom: b.bottom, left: b.left, right: b.right }; };
  return {
    blocks, low, texts,
    header: r(".header"), topbar: r(".gg-topbar"), h1: r(".gg-article h1"), sidebar: r(".gg-sidebar"), toc: r(".gg-toc"),
    root: r(".gg-root"), width: innerWidth,
    rootScroll: document.querySelector(".gg-root").scrollWidth,
    bodyMinWidth: getComputedStyle(document.body).minWidth,
    searches: document.querySelectorAll(".gg-search").length,
    topbarSearch: !!document.querySelector(".gg-topbar .gg-search"),
    sidebarSearch: !!document.querySelector(".gg-sidebar .gg-search"),
    hostSearch: !!document.querySelector(".header__search input"),
  };
};

for (const colorScheme of ["light", "dark"]) {
  for (const [vname, viewport] of [["desktop", desktop], ["phone", phone]]) {
    await check(`code blocks keep their lines and everything its contrast, ${colorScheme}, ${vname}`, async () => {
      let blocks = 0, texts = 0;
      const bad = [];
      for (const url of chapters) {
        const page = await open(url, { colorScheme, viewport });
        const m = await page.evaluate(measure);
        await page.context().close();
        blocks += m.blocks.length;
        texts += m.texts;
        for (const b of m.blocks) {
          if (b.shown !== b.lines) bad.push(`${url}: a block of ${b.lines} lines shows ${b.shown} (white-space: ${b.ws}): ${JSON.stringify(b.head)}`);
        }
        for (const l of m.low) bad.push(`${url}: ${l}`);
      }
      assert(blocks >= 8, `only ${blocks} code blocks measured`);
      assert(texts > 200, `only ${texts} text nodes measured`);
      assert(bad.length === 0, `${bad.length} problems:\n  ` + bad.slice(0, 20).join("\n  "));
    });
  }
}

await check("nothing of the guides lies under the host's sticky header, at the top or scrolled", async () => {
  // Chapters with a table of contents (it shows from 72rem of width).
  for (const url of [en + "flask/500_redis.html", ru + "flask/600_database.html"]) {
    const page = await open(url);
    let m = await page.evaluate(measure);
    assert(m.header && m.header.bottom >= 80, `no host header: ${JSON.stringify(m.header)}`);
    assert(m.topbar.top >= m.header.bottom - 0.5, `the guides' bar under the host header: ${JSON.stringify(m)}`);
    await page.mouse.wheel(0, 1500);
    await page.waitForTimeout(300);
    m = await page.evaluate(measure);
    assert(m.header.top >= -0.5 && m.header.top < 1, `the host header does not stay: ${JSON.stringify(m.header)}`);
    assert(m.sidebar.top >= m.header.bottom - 0.5, `sidebar under the host header: ${JSON.stringify({ h: m.header, s: m.sidebar })}`);
    assert(m.toc && m.toc.top >= m.header.bottom - 0.5, `table of contents under the host header: ${JSON.stringify({ h: m.header, t: m.toc })}`);
    await page.context().close();
  }
});

await check("a fixed host header does not cover the guides either", async () => {
  // The same header made fixed (taking no room in the page): the page makes room.
  const page = await open(chapters[0], { bypassCSP: true });
  await page.addStyleTag({ content: ".header { position: fixed; left: 0; right: 0; }" });
  await page.evaluate(() => window.dispatchEvent(new Event("resize")));
  await page.waitForTimeout(200);
  const m = await page.evaluate(measure);
  assert(m.topbar.top >= m.header.bottom - 0.5, `the guides' bar under a fixed header: ${JSON.stringify({ h: m.header, t: m.topbar })}`);
  assert(m.h1.top >= m.header.bottom, `the title under a fixed header: ${JSON.stringify({ h: m.header, h1: m.h1 })}`);
  await page.context().close();
});

await check("the guides fit a phone inside werf.io", async () => {
  for (const url of [chapters[0], chapters[1], en, ru]) {
    const page = await open(url, { viewport: phone });
    const m = await page.evaluate(measure);
    await page.context().close();
    assert(m.bodyMinWidth === "0px", `${url}: body min-width ${m.bodyMinWidth}`);
    assert(m.root.right <= m.width + 0.5 && m.rootScroll <= m.width + 1, `${url}: the guides are wider than the phone: ${JSON.stringify({ root: m.root, scroll: m.rootScroll, width: m.width })}`);
  }
});

await check("one search box of the guides, never beside the host's", async () => {
  for (const url of [chapters[0], en]) {
    const page = await open(url);
    const m = await page.evaluate(measure);
    assert(m.hostSearch, "the stand-in host has its search");
    assert(!m.topbarSearch, `${url}: the guides' search beside the host's`);
    assert(m.searches === 1, `${url}: ${m.searches} search boxes of the guides`);
    // It works there.
    await page.fill(".gg-search-input", url.includes("ru.") ? "сборка" : "image");
    await page.waitForSelector(".gg-search-results a", { timeout: 10000 });
    await page.context().close();
  }
});

await check("screenshots inside werf.io (ru and en, light and dark, desktop and phone)", async () => {
  for (const [name, url] of [["chapter-en", chapters[0]], ["chapter-ru", chapters[1]], ["landing-ru", ru]]) {
    for (const colorScheme of ["light", "dark"]) {
      for (const [vname, viewport] of [["desktop", desktop], ["phone", phone]]) {
        const page = await open(url, { colorScheme, viewport });
        await page.screenshot({ path: join(shots, `${name}-${colorScheme}-${vname}.png`) });
        if (name === "chapter-en" && vname === "desktop") {
          await page.mouse.wheel(0, 1500);
          await page.waitForTimeout(300);
          await page.screenshot({ path: join(shots, `${name}-${colorScheme}-${vname}-scrolled.png`) });
        }
        await page.context().close();
      }
    }
  }
});

await check("no errors in the browser console", async () => {
  assert(consoleErrors.length === 0, consoleErrors.join("\n"));
});

await browser.close();
nginx.kill("SIGTERM");
finish("e2e hosted");
