# [<en>] Unit tests: Flask's test client calls the application without starting a server.
# [<ru>] Юнит-тесты: тестовый клиент Flask вызывает приложение, не запуская сервер.
from app import app


def test_hello():
    response = app.test_client().get("/")
    assert response.status_code == 200
    assert response.text == "Hello, world!\n"


def test_healthz():
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.text == "ok\n"
