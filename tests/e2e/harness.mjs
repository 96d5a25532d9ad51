// What every browser test script shares: where the repository, the binary under test
// and Chromium are, and the named checks with their ok/FAIL lines and exit status.
import { spawn } from "node:child_process";
import { join, resolve, dirname } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const bin = process.argv[2] || process.env.GUIDEGEN_BIN || join(repo, "target/debug/guidegen");
export const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";

export const results = [];

/** Run one named check; a thrown error fails it (and the script), the others still run. */
export async function check(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push([name, true]);
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push([name, false]);
    console.log(`FAIL ${name}: ${e && e.stack ? e.stack : e}`);
  }
}

export function assert(cond, msg) { if (!cond) throw new Error(msg); }

/** Did any check fail? */
export const anyFailed = () => results.some((r) => !r[1]);

/** Print `<label>: N passed, M failed` and exit 1 if any failed. */
export function finish(label) {
  const failed = results.filter((r) => !r[1]).length;
  console.log(`${label}: ${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

/**
 * Start `guidegen serve` on `site` at a free port; resolves to { server, base, log }
 * once it says where it serves (`base`: http://127.0.0.1:PORT; `log()`: its stderr).
 */
export async function startServe(site) {
  const server = spawn(bin, ["serve", "--root", site, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  let serverLog = "";
  server.stderr.on("data", (d) => { serverLog += d; });
  const base = await new Promise((resolveBase, reject) => {
    const timer = setTimeout(() => reject(new Error("server did not start:\n" + serverLog)), 60000);
    const rl = createInterface({ input: server.stdout });
    rl.on("line", (line) => {
      const m = line.match(/^Serving en at (http:\/\/127\.0\.0\.1:\d+)\/en\//);
      if (m) { clearTimeout(timer); resolveBase(m[1]); }
    });
    server.on("exit", (code) => reject(new Error(`server exited with ${code}:\n${serverLog}`)));
  });
  return { server, base, log: () => serverLog };
}
