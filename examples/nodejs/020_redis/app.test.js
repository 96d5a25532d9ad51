// [<en>] Unit tests: Redis is replaced by a counter in memory, so no Redis is needed.
// [<ru>] Юнит-тесты: Redis заменён счётчиком в памяти, поэтому Redis для них не нужен.
const test = require("node:test");
const assert = require("node:assert");
const { app, cache } = require("./app");

async function get(path) {
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${server.address().port}${path}`);
    return { status: res.status, text: await res.text() };
  } finally {
    server.close();
  }
}

test("visits are counted", async () => {
  let visits = 0;
  cache.incr = async () => ++visits;
  assert.strictEqual((await get("/")).text, "Hello, world! Visits: 1\n");
  assert.strictEqual((await get("/")).text, "Hello, world! Visits: 2\n");
});

test("GET /healthz does not need Redis", async () => {
  assert.deepStrictEqual(await get("/healthz"), { status: 200, text: "ok\n" });
});
