"""Abuse limits: failed logins, registrations, the global limit, body size; 429/413 as JSON."""

import pytest

LIMITS = {"RATELIMIT_ENABLED": True, "LOGIN_FAILURE_LIMIT": "3 per minute",
          "REGISTER_LIMIT": "2 per minute", "RATELIMIT_DEFAULT": "30 per minute"}
# The app fixture with the limits on (conftest's ``app`` takes config overrides).
with_limits = pytest.mark.parametrize("app", [LIMITS], indirect=True, ids=["limits"])


@pytest.fixture
def limited_client(client):
    return client


def register(client, email):
    return client.post("/api/v1/auth/register", json={"email": email, "password": "secret1"})


def assert_429(response):
    assert response.status_code == 429
    assert response.is_json and response.json["detail"]
    assert int(response.headers["Retry-After"]) > 0


@with_limits
def test_failed_logins_are_limited_per_email(limited_client):
    client = limited_client
    register(client, "victim@example.com")
    for _ in range(3):
        response = client.post("/api/v1/auth/login",
                               json={"email": "victim@example.com", "password": "guess"})
        assert response.status_code == 401
    blocked = client.post("/api/v1/auth/login",
                          json={"email": "victim@example.com", "password": "secret1"})
    assert_429(blocked)


@with_limits
def test_successful_logins_do_not_count(limited_client):
    client = limited_client
    register(client, "ok@example.com")
    for _ in range(5):
        assert client.post("/api/v1/auth/login",
                           json={"email": "ok@example.com", "password": "secret1"}
                           ).status_code == 200


@with_limits
def test_failed_logins_are_limited_per_address_across_emails(limited_client):
    client = limited_client
    for index in range(3):
        assert client.post("/api/v1/auth/login", json={
            "email": f"nobody{index}@example.com", "password": "guess"}).status_code == 401
    assert_429(client.post("/api/v1/auth/login",
                           json={"email": "fresh@example.com", "password": "guess"}))


@with_limits
def test_registrations_are_limited_per_address(limited_client):
    client = limited_client
    assert register(client, "r1@example.com").status_code == 201
    assert register(client, "r2@example.com").status_code == 201
    assert_429(register(client, "r3@example.com"))


@with_limits
def test_a_global_per_client_limit_applies_everywhere(limited_client):
    client = limited_client
    statuses = [client.get("/api/v1/system/info").status_code for _ in range(31)]
    assert statuses[:30] == [200] * 30
    assert statuses[30] == 429


@with_limits
def test_retry_after_is_only_on_429(limited_client):
    client = limited_client
    login = "/api/v1/auth/login"
    answers = [
        client.get("/api/v1/products"),
        client.get("/"),
        client.get("/healthz"),
        client.get("/api/v1/products/999999"),
        client.get("/api/v1/cart"),
        client.post(login, json={"email": "admin@example.com", "password": "admin123"}),
        client.post(login, json={"email": "nobody@example.com", "password": "wrong"}),
        client.post(login, json={"email": "nobody@example.com"}),
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 404, 401, 200, 401, 422]
    for answer in answers:
        assert "Retry-After" not in answer.headers, answer.request.path
    for _ in range(2):  # the fixture allows 3 failures a minute
        client.post(login, json={"email": "nobody@example.com", "password": "wrong"})
    blocked = client.post(login, json={"email": "nobody@example.com", "password": "wrong"})
    assert blocked.status_code == 429
    # A one-minute window whose reset time is a whole second: at most 61 s away.
    assert 1 <= int(blocked.headers["Retry-After"]) <= 61
    assert_429(blocked)


def test_limits_are_off_when_disabled(client, auth):
    auth.register("many@example.com")
    for _ in range(8):
        assert client.post("/api/v1/auth/login", json={
            "email": "many@example.com", "password": "wrong"}).status_code == 401


def test_oversized_bodies_are_413_json(client, shopper_headers):
    response = client.post("/api/v1/orders", headers=shopper_headers,
                           data=b'{"shipping_address": "' + b"x" * 70_000 + b'"}',
                           content_type="application/json")
    assert response.status_code == 413
    assert response.is_json and response.json["detail"]


@with_limits
def test_docs_redirects_work_with_rate_limiting_on(limited_client):
    """Flask-Limiter names every view it checks: the redirect views must have names."""
    for typed, page in (("/docs/", "/docs"), ("/redoc/", "/redoc")):
        response = limited_client.get(typed)
        assert response.status_code == 301
        assert response.headers["Location"] == page
