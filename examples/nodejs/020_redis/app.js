// [<en>] The Express application now counts visits in Redis.
// [<ru>] Теперь приложение на Express считает посещения в Redis.
const express = require("express");
const { createClient } = require("redis");

// [<snippet redis-client>]
const cache = createClient({
  url: `redis://${process.env.REDIS_HOST || "localhost"}:${process.env.REDIS_PORT || 6379}`,
});
// [<endsnippet redis-client>]

const app = express();

app.get("/", async (req, res) => {
  const visits = await cache.incr("visits");
  res.send(`Hello, world! Visits: ${visits}\n`);
});

app.get("/healthz", (req, res) => res.send("ok\n"));

if (require.main === module) {
  const port = Number(process.env.PORT || 3000);
  cache.connect().then(() => {
    app.listen(port, () => console.log(`listening on ${port}`));
  });
}

module.exports = { app, cache };
