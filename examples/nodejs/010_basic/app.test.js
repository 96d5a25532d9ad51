// [<en>] Unit tests with Node's own test runner: the application listens on a free
// [<en>] local port for the duration of a test.
// [<ru>] Юнит-тесты на встроенном тест-раннере Node: на время теста приложение
// [<ru>] слушает свободный локальный порт.
const test = require("node:test");
const assert = require("node:assert");
const app = require("./app");

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

test("GET / answers Hello, world!", async () => {
  assert.deepStrictEqual(await get("/"), { status: 200, text: "Hello, world!\n" });
});

test("GET /healthz answers ok", async () => {
  assert.deepStrictEqual(await get("/healthz"), { status: 200, text: "ok\n" });
});
