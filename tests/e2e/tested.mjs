// The last `guidegen test` result on example headers, in a real browser: Debian's
// chromium driven by playwright-core.
//
// Copies tests/fixtures/examples_test, runs `guidegen test` on it (one step passes, one
// fails), starts `guidegen serve`, and checks that each chapter's example header says
// what the last run found (tested / test failed / no test), that an edit of a step's
// file turns its label into "changed since tested", and that serving ran no step (the
// results file is the one `guidegen test` wrote). Usage:
// node tests/e2e/tested.mjs [path/to/guidegen]
import { chromium } from "playwright-core";
import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repo, bin, chromiumPath, check, assert, finish, startServe } from "./harness.mjs";

const tmp = mkdtempSync(join(tmpdir(), "guidegen-e2e-tested-"));
const site = join(tmp, "site");
cpSync(join(repo, "tests/fixtures/examples_test"), site, { recursive: true });

for (const step of ["guide/010_clean", "guide/080_failing"]) {
  const r = spawnSync(bin, ["test", "--root", site, "--step", step], { encoding: "utf8" });
  if (r.status === 2) throw new Error(`guidegen test could not run:\n${r.stdout}${r.stderr}`);
}

const { server, base } = await startServe(site);

const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const consoleErrors = [];
page.on("pageerror", (e) => consoleErrors.push(String(e)));

async function labels(path) {
  await page.goto(`${base}${path}`);
  await page.waitForSelector(".guidegen-tested", { timeout: 10000 });
  return page.$$eval(".gg-example-head .guidegen-tested", (els) => els.map((e) => [e.getAttribute("data-result"), e.textContent]));
}

try {
  await check("a step whose test passed says 'tested' on its example header", async () => {
    const l = await labels("/en/guide/010_clean.html");
    assert(l.length >= 1 && l.every(([r, t]) => r === "passed" && t === "tested"), JSON.stringify(l));
  });
  await check("a step whose test failed says 'test failed'", async () => {
    const l = await labels("/en/guide/080_failing.html");
    assert(l.length === 1 && l[0][0] === "failed" && l[0][1] === "test failed", JSON.stringify(l));
  });
  await check("an edit of a step's file turns its label into 'changed since tested'", async () => {
    // Leave the open page first: its live reload would race the next navigation.
    await page.goto("about:blank");
    appendFileSync(join(site, "examples/guide/010_clean/test.sh"), "echo edited\n");
    await new Promise((r) => setTimeout(r, 1000));
    const l = await labels("/en/guide/010_clean.html");
    assert(l.every(([r]) => r === "changed"), JSON.stringify(l));
  });
  await check("the published site has no label: build output carries no data-step", async () => {
    const out = join(tmp, "public");
    const b = spawnSync(bin, ["build", "--root", site, "--out", out], { encoding: "utf8" });
    assert(b.status === 0, b.stderr);
    const html = readFileSync(join(out, "en/guide/010_clean.html"), "utf8");
    assert(!html.includes("data-step") && !html.includes("guidegen-tested") && !html.includes("__guidegen"), "build output has serve's script");
  });
  await check("no script error on the pages", async () => {
    assert(consoleErrors.length === 0, consoleErrors.join("\n"));
  });
} finally {
  await browser.close();
  server.kill();
  rmSync(tmp, { recursive: true, force: true });
}
finish("tested e2e");
