// [<en>] A minimal Express application: one route that answers "Hello, world!".
// [<ru>] Минимальное приложение на Express: один маршрут, отвечающий «Hello, world!».
const express = require("express");

const app = express();

// [<snippet route>]
app.get("/", (req, res) => {
  res.send("Hello, world!\n");
});
// [<endsnippet route>]

app.get("/healthz", (req, res) => res.send("ok\n"));

// [<en>] Started with `node app.js`, it listens; required by the tests, it does not.
// [<ru>] Запущенное через `node app.js`, приложение слушает порт; в тестах — нет.
if (require.main === module) {
  const port = Number(process.env.PORT || 3000);
  app.listen(port, () => console.log(`listening on ${port}`));
}

module.exports = app;
