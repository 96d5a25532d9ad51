# [<en>] Unit tests: Redis is replaced by a counter in memory, so no Redis is needed.
# [<ru>] Юнит-тесты: Redis заменён счётчиком в памяти, поэтому Redis для них не нужен.
import app as application


class FakeRedis:
    def __init__(self):
        self.counts = {}

    def incr(self, key):
        self.counts[key] = self.counts.get(key, 0) + 1
        return self.counts[key]


def test_visits_are_counted(monkeypatch):
    monkeypatch.setattr(application, "cache", FakeRedis())
    client = application.app.test_client()
    assert client.get("/").text == "Hello, world! Visits: 1\n"
    assert client.get("/").text == "Hello, world! Visits: 2\n"


def test_healthz_does_not_need_redis():
    response = application.app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.text == "ok\n"
