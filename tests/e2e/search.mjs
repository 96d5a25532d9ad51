// Search and the published layout in a real browser: Debian's chromium driven by
// playwright-core, against the repository's own site served by the deploy kit's nginx
// (tests/nginx/start) under /guides/ on werf.io and ru.werf.io, with werf.io's chrome
// stubbed in by SSI. Usage: node tests/e2e/search.mjs [path/to/guidegen]
//
// Checks: the page script stems exactly like guidegen (vendor/snowball/stems.tsv); a
// Russian query in one form finds pages using another form, and its result opens the
// page at its section; the same in English; search works from disk too; guidegen's
// header never overlaps the host's; no console errors.
import { chromium } from "playwright-core";
import { spawn, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repo, bin, chromiumPath, check, assert, finish } from "./harness.mjs";


await check("the page script stems exactly like guidegen", async () => {
  const { ggStemmers } = createRequire(import.meta.url)(join(repo, "vendor/snowball/stemmers.js"));
  let n = 0;
  for (const line of readFileSync(join(repo, "vendor/snowball/stems.tsv"), "utf8").split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const [lang, word, want] = line.split("\t");
    const got = ggStemmers[lang].stem(word.toLowerCase().replace(/ё/g, "е"));
    assert(got === want, `${lang} ${word}: page script ${got}, guidegen ${want}`);
    n++;
  }
  assert(n > 7000, `only ${n} words`);
});

const freePort = () => new Promise((ok) => {
  const s = createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => ok(p)); });
});
const tmp = mkdtempSync(join(tmpdir(), "guidegen-search-"));
const out = join(tmp, "out");
execFileSync(bin, ["build", "--root", repo, "--out", out], { stdio: ["ignore", "ignore", "pipe"] });
const [port, stub] = [await freePort(), await freePort()];
const nginx = spawn(join(repo, "tests/nginx/start"), [out, join(tmp, "nginx"), String(port), String(stub)], { stdio: "inherit" });
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
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const consoleErrors = [];
page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
page.on("pageerror", (e) => consoleErrors.push(String(e)));

async function search(query) {
  await page.fill(".gg-search-input", "");
  await page.type(".gg-search-input", query, { delay: 20 });
  await page.waitForSelector(".gg-search-results a", { timeout: 10000 });
  return page.$$eval(".gg-search-results li", (lis) => lis.map((li) => ({
    title: li.querySelector(".gg-search-title").textContent,
    marks: Array.from(li.querySelectorAll("mark")).map((m) => m.textContent.toLowerCase()),
    href: li.querySelector("a").href,
  })));
}

async function opensItsPage(result) {
  await Promise.all([page.waitForURL((u) => u.href.split("#")[0] === result.href.split("#")[0]), page.click(".gg-search-results a >> nth=0")]);
  const h1 = await page.textContent("h1");
  assert(h1.trim() === result.title, `opened "${h1}", result said "${result.title}"`);
  const hash = new URL(result.href).hash;
  if (hash) {
    // In view: at the top, or lower when the page ends before it can scroll further.
    const r = await page.evaluate((id) => {
      const el = document.getElementById(decodeURIComponent(id.slice(1)));
      const se = document.scrollingElement;
      return { top: el.getBoundingClientRect().top, h: innerHeight, atEnd: se.scrollTop + innerHeight >= se.scrollHeight - 2 };
    }, hash);
    assert(r.top >= -5 && (r.top < 300 || (r.atEnd && r.top < r.h - 40)), `section ${hash} is not in view (${JSON.stringify(r)})`);
  }
}

const ru = `http://ru.werf.io:${port}/guides/`;
const en = `http://werf.io:${port}/guides/`;

await check("Russian: «сборка» finds pages that say «сборки», «сборку»; the result opens its page", async () => {
  await page.goto(ru + "flask/100_basic/030_deploy.html");
  const found = await search("сборка");
  const forms = new Set(found.flatMap((r) => r.marks));
  assert(found.length >= 2, `only ${found.length} results`);
  assert([...forms].some((f) => f.startsWith("сборк") && f !== "сборка"), `no other form of the word marked: ${[...forms]}`);
  await opensItsPage(found[0]);
});

await check("Russian: «образы» finds pages that say «образ»", async () => {
  await page.goto(ru);
  const found = await search("образы");
  const forms = new Set(found.flatMap((r) => r.marks));
  assert([...forms].some((f) => f === "образ" || f === "образа"), `forms marked: ${[...forms]}`);
});

await check("English: «images» finds pages that say «image»; the result opens its page", async () => {
  await page.goto(en + "flask/");
  const found = await search("images");
  const forms = new Set(found.flatMap((r) => r.marks));
  assert([...forms].includes("image"), `forms marked: ${[...forms]}`);
  await opensItsPage(found[0]);
});

await check("results of the reader's own guide come first", async () => {
  await page.goto(en + "nodejs/100_basic/010_build.html");
  const found = await search("build");
  assert(found[0].href.includes("/guides/nodejs/"), `first result: ${found[0].href}`);
});

await check("the host's top navigation sits above guidegen's header, never over it", async () => {
  await page.goto(ru + "flask/100_basic/030_deploy.html");
  const rects = () => page.evaluate(() => {
    const r = (s) => { const b = document.querySelector(s).getBoundingClientRect(); return { top: b.top, bottom: b.bottom }; };
    return { nav: r(".host-topnav"), bar: r(".gg-topbar"), side: r(".gg-sidebar"), footer: !!document.querySelector(".host-footer") };
  });
  let r = await rects();
  assert(r.footer, "no host footer");
  assert(r.nav.bottom <= r.bar.top + 0.5, `header overlaps the host nav: ${JSON.stringify(r)}`);
  await page.mouse.wheel(0, 900);
  await page.waitForTimeout(300);
  r = await rects();
  assert(r.side.top >= r.nav.bottom - 0.5 && r.side.top >= -0.5, `sidebar under the host nav: ${JSON.stringify(r)}`);
  // Under a host header, guidegen's bar scrolls away: there is never a second sticky bar.
  assert(r.bar.bottom <= 0.5, `guidegen's header stuck below the host's: ${JSON.stringify(r)}`);
});

await check("search works on a page opened from disk", async () => {
  await page.goto("file://" + join(out, "ru/flask/100_basic/010_build.html"));
  const found = await search("сборки");
  assert(found.length > 0, "no results from disk");
  assert(found[0].href.startsWith("file://"), found[0].href);
});

await check("a big guide's whole contents load into the sidebar, the page marked", async () => {
  const site = join(tmp, "big");
  const lines = ['[languages.en]', 'base_url = "https://x.io/g"'];
  mkdirSync(join(site, "content/en/big"), { recursive: true });
  writeFileSync(join(site, "book.toml"), lines.join("\n") + "\n");
  writeFileSync(join(site, "content/en/big/_guide.md"), "---\ntitle: Big guide\n---\nMany chapters.\n");
  for (let i = 0; i < 400; i++) {
    const n = String(i).padStart(5, "0");
    writeFileSync(join(site, `content/en/big/${n}_c.md`), `---\ntitle: Chapter ${i}\n---\nText ${i}.\n`);
  }
  execFileSync(bin, ["build", "--root", site, "--out", join(site, "out")], { stdio: ["ignore", "ignore", "pipe"] });
  assert(readFileSync(join(site, "out/en/big/00300_c.html"), "utf8").includes("gg-nav-gap"), "no window in the page itself");
  await page.goto("file://" + join(site, "out/en/big/00300_c.html"));
  await page.waitForFunction(() => document.querySelectorAll(".gg-guide-nav .gg-nav-item").length === 400, null, { timeout: 10000 });
  const current = await page.$$eval(".gg-guide-nav [aria-current=page]", (a) => a.map((x) => x.textContent));
  assert(current.length === 1 && current[0] === "Chapter 300", `current: ${current}`);
  await Promise.all([page.waitForURL(/00399_c.html$/), page.click("text=Chapter 399")]);
});

await check("no errors in the browser console", async () => {
  assert(consoleErrors.length === 0, consoleErrors.join("\n"));
});

await browser.close();
nginx.kill();
finish("e2e search");
