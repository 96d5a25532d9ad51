// Screenshots of built pages as a reader sees them: node screenshot.mjs OUTDIR URL...
// Each URL is shot at desktop and phone width, in light and dark colour schemes.
import { chromium } from "playwright-core";

const [outDir, ...urls] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const sizes = { desktop: { width: 1366, height: 900 }, phone: { width: 390, height: 844 } };
let n = 0;
for (const url of urls) {
  for (const [size, viewport] of Object.entries(sizes)) {
    for (const colorScheme of ["light", "dark"]) {
      const page = await browser.newPage({ viewport, colorScheme, deviceScaleFactor: 1 });
      await page.goto(url);
      const name = `${outDir}/${n}-${size}-${colorScheme}.png`;
      await page.screenshot({ path: name, fullPage: process.env.FULL === "1" });
      console.log(name, url);
      await page.close();
    }
  }
  n++;
}
await browser.close();
