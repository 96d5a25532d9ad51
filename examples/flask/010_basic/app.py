# [<en>] A minimal Flask application: one route that answers "Hello, world!".
# [<ru>] Минимальное приложение на Flask: один маршрут, отвечающий «Hello, world!».
import os

from flask import Flask

app = Flask(__name__)


# [<snippet route>]
@app.route("/")
def hello():
    return "Hello, world!\n"
# [<endsnippet route>]


@app.route("/healthz")
def healthz():
    return "ok\n"


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "8000")))
