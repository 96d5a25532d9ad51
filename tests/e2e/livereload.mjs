// Live reload in a real browser: Debian's chromium driven by playwright-core.
//
// Starts `guidegen serve` on a copy of tests/fixtures/two_lang, opens a chapter, edits
// the Markdown on disk and waits for the browser's DOM to show the new text without the
// test reloading anything; then a broken edit must show the error overlay, and fixing it
// must remove the overlay. Usage: node tests/e2e/livereload.mjs [path/to/guidegen]
import { chromium } from "playwright-core";
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repo, chromiumPath, check, anyFailed, finish, startServe } from "./harness.mjs";


const tmp = mkdtempSync(join(tmpdir(), "guidegen-e2e-"));
const site = join(tmp, "site");
cpSync(join(repo, "tests/fixtures/two_lang"), site, { recursive: true, filter: (p) => !p.includes("/public") });
const chapter = join(site, "content/en/node/010_hello.md");
// A long page, so that keeping the scroll position can be seen.
appendFileSync(chapter, "\n## Long part\n\n" + Array.from({ length: 80 }, (_, i) => `Paragraph ${i} of filler text.\n`).join("\n"));

function save(file, text) {
  // The way editors save: write a temporary file, rename it over the original.
  writeFileSync(file + ".tmp~", text);
  renameSync(file + ".tmp~", file);
}
function edit(file, from, to) {
  const t = readFileSync(file, "utf8");
  if (!t.includes(from)) throw new Error(`${file} has no ${from}`);
  save(file, t.replace(from, to));
}

const { server, base, log: serverLog } = await startServe(site);

const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const consoleErrors = [];
page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
page.on("pageerror", (e) => consoleErrors.push(String(e)));

try {
  await check("page loads over HTTP with its text", async () => {
    await page.goto(`${base}/en/node/010_hello.html`);
    await page.waitForFunction(() => document.querySelector("h1")?.textContent === "Hello, Express");
  });

  await check("an edit appears in the open page without the test reloading it", async () => {
    await page.evaluate(() => { window.__beforeEdit = true; window.scrollTo(0, 1500); });
    await page.waitForTimeout(300); // the page's event stream is connected
    const t0 = Date.now();
    edit(chapter, "Install packages with", "Install the newest packages with");
    await page.waitForFunction(() => document.body.innerText.includes("Install the newest packages with"), null, { timeout: 15000 });
    console.log(`     reloaded ${Date.now() - t0} ms after the save`);
    const marker = await page.evaluate(() => window.__beforeEdit === true);
    if (marker) throw new Error("the DOM changed but the page was not reloaded by guidegen");
    const y = await page.evaluate(() => window.scrollY);
    if (Math.abs(y - 1500) > 50) throw new Error(`scroll position not kept: ${y}`);
  });

  await check("a broken edit shows the error overlay and keeps the page", async () => {
    edit(chapter, "Install the newest packages with", "Install <<frameworkk>> packages with");
    await page.waitForSelector("#guidegen-overlay", { timeout: 15000 });
    const text = await page.textContent("#guidegen-overlay");
    if (!text.includes("unknown variable 'frameworkk'")) throw new Error("overlay text: " + text);
    if (!text.includes("content/en/node/010_hello.md:")) throw new Error("overlay has no location: " + text);
    const body = await page.evaluate(() => document.body.innerText);
    if (!body.includes("Install the newest packages with")) throw new Error("last good page was not kept");
  });

  await check("fixing the file removes the overlay", async () => {
    edit(chapter, "Install <<frameworkk>> packages with", "Install <<framework>> packages with");
    await page.waitForFunction(() => document.body.innerText.includes("Install Express packages with") && !document.getElementById("guidegen-overlay"), null, { timeout: 15000 });
  });

  await check("Russian text is UTF-8 and the switcher leads to the served ru page", async () => {
    await page.goto(`${base}/en/node/010_hello.html`);
    await page.click('a.gg-lang[hreflang="ru"]');
    await page.waitForURL(`${base}/ru/node/010_hello.html`);
    const h1 = await page.textContent("h1");
    if (h1 !== "Привет, Express") throw new Error("h1: " + h1);
  });

  await check("no errors in the browser console", async () => {
    if (consoleErrors.length) throw new Error(consoleErrors.join("\n"));
  });
} finally {
  await browser.close();
  server.kill();
  rmSync(tmp, { recursive: true, force: true });
}

if (anyFailed()) console.log("--- server log ---\n" + serverLog().slice(-3000));
finish("e2e");
