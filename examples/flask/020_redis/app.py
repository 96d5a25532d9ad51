# [<en>] The Flask application now counts visits in Redis.
# [<ru>] Теперь приложение на Flask считает посещения в Redis.
import os

import redis
from flask import Flask

app = Flask(__name__)
# [<snippet redis-client>]
cache = redis.Redis(
    host=os.environ.get("REDIS_HOST", "localhost"),
    port=int(os.environ.get("REDIS_PORT", "6379")),
)
# [<endsnippet redis-client>]


@app.route("/")
def hello():
    visits = cache.incr("visits")
    return f"Hello, world! Visits: {visits}\n"


@app.route("/healthz")
def healthz():
    return "ok\n"


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "8000")))
