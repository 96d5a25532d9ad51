from flask import Flask

app = Flask(__name__)


# [<snippet route>]
@app.route("/")
def hello():
    return "Hello, world!\n"
# [<endsnippet route>]
