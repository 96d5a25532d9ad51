// The reader's side in a real browser (Debian's chromium via playwright-core), on the
// fixture site tests/fixtures/reader built by guidegen and served over HTTP:
// accessibility with axe-core (WCAG 2 A/AA and best practices) on the landing page, a
// guide's start page, a chapter with tabs and details, a chapter with every code
// language and a diff page, light and dark; the contrast of every piece of text in code
// blocks (at least 4.5:1); the language switch landing on the same section; the guide
// switcher landing on the same chapter; a diff's copy button. Screenshots of the pages
// go to target/screenshots/reader/ to be looked at.
// Usage: node tests/e2e/reader.mjs [path/to/guidegen]
import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, extname, normalize } from "node:path";
import { repo, bin, chromiumPath, check, assert, finish } from "./harness.mjs";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");


const tmp = mkdtempSync(join(tmpdir(), "guidegen-reader-"));
const out = join(tmp, "out");
execFileSync(bin, ["build", "--no-cache", "--root", join(repo, "tests/fixtures/reader"), "--out", out], { stdio: ["ignore", "ignore", "pipe"] });

const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml", ".json": "application/json", ".xml": "application/xml" };
const server = createServer((req, res) => {
  let p = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
  let file = join(out, p);
  if (!file.startsWith(out)) { res.writeHead(403).end(); return; }
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
  if (!existsSync(file)) { res.writeHead(404).end("not found"); return; }
  res.writeHead(200, { "content-type": types[extname(file)] || "application/octet-stream" });
  res.end(readFileSync(file));
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const consoleErrors = [];
async function open(path, { colorScheme = "light", viewport = { width: 1280, height: 800 } } = {}) {
  const context = await browser.newContext({ viewport, colorScheme });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
  const page = await context.newPage();
  page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(`${path}: ${m.text()}`); });
  page.on("pageerror", (e) => consoleErrors.push(`${path}: ${e}`));
  await page.goto(base + path);
  return page;
}

const pages = {
  landing: "/en/index.html",
  "guide start": "/en/flask/index.html",
  "tabs and details": "/en/flask/010_setup.html",
  "every language": "/en/flask/020_code.html",
  diff: "/en/flask/030_changes.html",
  "landing (ru)": "/ru/index.html",
  "diff (ru)": "/ru/flask/030_changes.html",
};

for (const colorScheme of ["light", "dark"]) {
  await check(`axe-core finds no violations, ${colorScheme}`, async () => {
    const found = [];
    for (const [name, path] of Object.entries(pages)) {
      const page = await open(path, { colorScheme });
      await page.addScriptTag({ content: axeSource });
      const r = await page.evaluate(async () => {
        const res = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } });
        return res.violations.map((v) => `${v.id} (${v.nodes.length}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " " + (n.failureSummary || "").split("\n").slice(1, 2).join("")).join(" | ")}`);
      });
      await page.context().close();
      for (const v of r) found.push(`${name}: ${v}`);
    }
    assert(found.length === 0, "\n  " + found.join("\n  "));
  });

  await check(`every text in code blocks has at least 4.5:1 contrast, ${colorScheme}`, async () => {
    const low = [];
    let counted = 0;
    for (const path of ["/en/flask/020_code.html", "/en/flask/030_changes.html", "/en/flask/010_setup.html", "/ru/flask/020_code.html"]) {
      const page = await open(path, { colorScheme });
      const r = await page.evaluate(() => {
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
        const out = { n: 0, low: [] };
        const walker = document.createTreeWalker(document.querySelector(".gg-article"), NodeFilter.SHOW_TEXT);
        for (let t = walker.nextNode(); t; t = walker.nextNode()) {
          const el = t.parentElement;
          if (!t.textContent.trim() || !el.closest("pre")) continue;
          const fg = rgb(getComputedStyle(el).color).slice(0, 3), bg = bgOf(el);
          const [a, b] = [lum(fg), lum(bg)];
          const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
          out.n++;
          if (ratio < 4.5) out.low.push(`${ratio.toFixed(2)}:1 "${t.textContent.trim().slice(0, 20)}" (${el.className}) rgb(${fg}) on rgb(${bg})`);
        }
        return out;
      });
      await page.context().close();
      counted += r.n;
      for (const l of r.low) low.push(`${path}: ${l}`);
    }
    assert(counted > 300, `only ${counted} text nodes measured`);
    assert(low.length === 0, `${low.length} below 4.5:1:\n  ` + low.slice(0, 20).join("\n  "));
  });
}

await check("Helm templates are highlighted as templates inside YAML", async () => {
  const page = await open("/en/flask/010_setup.html");
  const r = await page.evaluate(() => {
    const code = [...document.querySelectorAll(".gg-example code")].find((c) => c.textContent.includes("{{ .Values"));
    const plain = getComputedStyle(code).color;
    const look = (e) => ({ text: e.textContent, color: getComputedStyle(e).color, weight: Number(getComputedStyle(e).fontWeight) });
    const spans = [...code.querySelectorAll("span")].map(look);
    // Every text node holding a template delimiter, with the look of its element.
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    const braces = [];
    for (let t; (t = walker.nextNode()); ) {
      if (/\{\{|\}\}/.test(t.textContent) && !/\/\*/.test(t.textContent)) braces.push(look(t.parentElement));
    }
    return { plain, spans, braces };
  });
  await page.context().close();
  const coloured = (s) => s.color !== r.plain;
  assert(r.braces.length >= 4, `${r.braces.length} template delimiters`);
  const dull = r.braces.filter((b) => !coloured(b) || b.weight < 600);
  assert(dull.length === 0, `delimiters not shown as template code: ${JSON.stringify(dull)}`);
  const key = (k) => r.spans.find((s) => s.text === k);
  for (const k of ["apiVersion", "replicas"]) assert(key(k) && coloured(key(k)), `key ${k}: ${JSON.stringify(key(k))}`);
  const values = r.spans.filter((s) => /^\.?Values$/.test(s.text));
  assert(values.length > 0, "no .Values path in its own span (the dark theme colours it)");
});

await check("the language switch lands on the same section (by place and by explicit id)", async () => {
  const page = await open("/ru/flask/010_setup.html");
  // The third h2's second h3 («Откат» / "Rollback").
  await page.evaluate(() => {
    const h = [...document.querySelectorAll(".gg-article h3")].find((e) => e.textContent.startsWith("Откат"));
    h.scrollIntoView();
    window.scrollBy(0, 40);
  });
  await page.waitForFunction(() => /#gg-section-3\.2$/.test(document.querySelector(".gg-langs a[hreflang=en]").getAttribute("href")));
  // Let scrolling settle (the link follows it), then take the link as the reader would.
  await page.waitForTimeout(200);
  const href = await page.getAttribute(".gg-langs a[hreflang=en]", "href");
  assert(/#gg-section-3\.2$/.test(href), `the switch leads to ${href}`);
  // Activated in the page: Playwright's own click scrolls a sticky header's link "into
  // view", which moves the page and with it the section the link carries.
  const follow = (lang) => page.$eval(`.gg-langs a[hreflang=${lang}]`, (a) => a.click());
  await Promise.all([page.waitForURL(/\/en\/flask\/010_setup\.html/), follow("en")]);
  try {
    await page.waitForFunction(() => location.hash === "#rollback", null, { timeout: 10000 });
  } catch (e) {
    throw new Error(`landed at ${await page.evaluate(() => location.href)}, scrolled to ${await page.evaluate(() => scrollY)}`);
  }
  const r = await page.evaluate(() => {
    const h = document.getElementById("rollback");
    return { top: h.getBoundingClientRect().top, text: h.textContent };
  });
  assert(r.top >= 0 && r.top < 200, `the heading "Rollback" is at ${r.top}px, not at the top of the window`);
  // The explicit id: the same in both languages, linked as itself.
  await page.evaluate(() => { document.getElementById("deploy").scrollIntoView(); window.scrollBy(0, 20); });
  await page.waitForFunction(() => /#deploy$/.test(document.querySelector(".gg-langs a[hreflang=ru]").getAttribute("href")));
  await Promise.all([page.waitForURL(/\/ru\/flask\/010_setup\.html#deploy$/), follow("ru")]);
  const top = await page.evaluate(() => document.getElementById("deploy").getBoundingClientRect().top);
  assert(top >= 0 && top < 200, `«Развёртывание» is at ${top}px`);
  // At the top of a page the switch carries no section.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForFunction(() => !document.querySelector(".gg-langs a[hreflang=en]").getAttribute("href").includes("#"));
  await page.context().close();
});

await check("the guide switcher leads to the same chapter in the other stack's guide", async () => {
  const page = await open("/en/flask/020_code.html");
  const summary = await page.textContent(".gg-stack-switch summary");
  assert(/Python · Flask · pip/.test(summary), `summary: ${summary}`);
  await page.click(".gg-stack-switch summary");
  await Promise.all([page.waitForURL(/\/en\/nodejs\/020_code\.html$/), page.click(".gg-stack-switch a")]);
  assert(/Node\.js · Express · npm/.test(await page.textContent(".gg-stack-switch summary")), "the switcher shows the new guide");
  // A chapter only Flask has: the other guide's start page, marked so.
  await page.goto(base + "/en/flask/040_flask_only.html");
  const note = await page.textContent(".gg-stack-switch li");
  assert(/start page/.test(note), `no start-page mark: ${note}`);
  await page.click(".gg-stack-switch summary");
  await Promise.all([page.waitForURL(/\/en\/nodejs\/(index\.html)?$/), page.click(".gg-stack-switch a")]);
  await page.context().close();
});

await check("the landing page groups guides by language and framework", async () => {
  const page = await open("/en/index.html");
  const r = await page.evaluate(() => [...document.querySelectorAll(".gg-stack")].map((s) => ({
    lang: s.querySelector("h2").textContent,
    cards: [...s.querySelectorAll(".gg-guide-cards a")].map((a) => a.textContent),
  })));
  await page.context().close();
  assert(r.length === 2 && r[0].lang === "Python" && r[1].lang === "Node.js", JSON.stringify(r));
  assert(/pip/.test(r[0].cards[0]) && /Build a Flask application/.test(r[0].cards[0]), JSON.stringify(r));
});

await check("a diff reads like a code review and its copy button copies the new lines", async () => {
  const page = await open("/en/flask/030_changes.html");
  const r = await page.evaluate(() => {
    const file = [...document.querySelectorAll(".gg-diff-file")].find((f) => f.querySelector("figcaption").textContent.includes("app.py"));
    const add = file.querySelector(".gg-dl-add"), del = file.querySelector(".gg-dl-del");
    return {
      stat: file.querySelector(".gg-diff-stat").textContent,
      addBg: getComputedStyle(add).backgroundColor,
      delBg: getComputedStyle(del).backgroundColor,
      marker: getComputedStyle(add, "::before").content,
      highlighted: [...add.querySelectorAll("span")].filter((s) => getComputedStyle(s).color !== getComputedStyle(add).color).length,
      hunk: file.querySelector(".gg-dl-hunk").textContent,
    };
  });
  assert(/^\+\d+ −\d+$/.test(r.stat.trim()), `stat: ${r.stat}`);
  assert(r.addBg !== "rgba(0, 0, 0, 0)" && r.delBg !== "rgba(0, 0, 0, 0)" && r.addBg !== r.delBg, `backgrounds ${r.addBg} ${r.delBg}`);
  assert(r.marker === '"+"', `marker ${r.marker}`);
  assert(r.highlighted > 0, "the added lines are not highlighted as Python");
  assert(/^@@ -\d+,\d+ \+\d+,\d+ @@$/.test(r.hunk), `hunk header ${r.hunk}`);
  const fig = page.locator(".gg-diff-file", { hasText: "app.py" });
  await fig.hover();
  await fig.locator(".gg-copy").click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  const want = readFileSync(join(repo, "tests/fixtures/reader/examples/flask/020/app.py"), "utf8");
  assert(copied === want, `copied:\n${copied}\nwant:\n${want}`);
  await page.context().close();
});

await check("screenshots of the landing page, a Helm template and a diff (light, dark, desktop, phone)", async () => {
  const dir = join(repo, "target/screenshots/reader");
  mkdirSync(dir, { recursive: true });
  const shots = { landing: "/en/index.html", "landing-ru": "/ru/index.html", helm: "/en/flask/010_setup.html", diff: "/en/flask/030_changes.html", code: "/ru/flask/020_code.html" };
  for (const [name, path] of Object.entries(shots)) {
    for (const [size, viewport] of Object.entries({ desktop: { width: 1366, height: 900 }, phone: { width: 390, height: 844 } })) {
      for (const colorScheme of ["light", "dark"]) {
        const page = await open(path, { colorScheme, viewport });
        if (name === "helm") await page.locator(".gg-example").first().scrollIntoViewIfNeeded();
        if (name === "diff") await page.locator(".gg-diff-file").first().scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(dir, `${name}-${size}-${colorScheme}.png`) });
        await page.context().close();
      }
    }
  }
});

await check("no errors in the browser console", async () => {
  assert(consoleErrors.length === 0, consoleErrors.join("\n"));
});

await browser.close();
server.close();
finish("e2e reader");
