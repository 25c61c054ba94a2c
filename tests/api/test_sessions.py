"""Refresh tokens, logout revocation, password change, and abuse limits on auth."""

import pytest

LOGIN = "/api/v1/auth/login"
ME = "/api/v1/users/me"


def login(client, email="s@example.com", password="secret123"):
    return client.post(LOGIN, json={"email": email, "password": password})


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def tokens(client, auth):
    auth.register("s@example.com")
    response = login(client)
    assert response.status_code == 200
    return response.json


def test_login_returns_a_refresh_token_that_buys_new_access_tokens(client, tokens):
    assert tokens["refresh_token"] != tokens["access_token"]
    refreshed = client.post("/api/v1/auth/refresh", headers=bearer(tokens["refresh_token"]))
    assert refreshed.status_code == 200
    assert refreshed.json["token_type"] == "bearer"
    assert "refresh_token" not in refreshed.json
    assert client.get(ME, headers=bearer(refreshed.json["access_token"])).status_code == 200


def test_refresh_and_access_tokens_are_not_interchangeable(client, tokens):
    assert client.post("/api/v1/auth/refresh",
                       headers=bearer(tokens["access_token"])).status_code == 401
    assert client.get(ME, headers=bearer(tokens["refresh_token"])).status_code == 401


def test_logout_revokes_the_access_and_refresh_tokens(client, tokens):
    other_session = login(client).json
    response = client.post("/api/v1/auth/logout", headers=bearer(tokens["access_token"]),
                           json={"refresh_token": tokens["refresh_token"]})
    assert response.status_code == 204
    revoked = client.get(ME, headers=bearer(tokens["access_token"]))
    assert revoked.status_code == 401
    assert "revoked" in revoked.json["detail"]
    assert client.post("/api/v1/auth/refresh",
                       headers=bearer(tokens["refresh_token"])).status_code == 401
    # Another session of the same user is untouched.
    assert client.get(ME, headers=bearer(other_session["access_token"])).status_code == 200


def test_logout_ignores_a_refresh_token_of_someone_else(client, auth, tokens):
    auth.register("other@example.com")
    other = login(client, "other@example.com").json
    client.post("/api/v1/auth/logout", headers=bearer(tokens["access_token"]),
                json={"refresh_token": other["refresh_token"]})
    assert client.post("/api/v1/auth/refresh",
                       headers=bearer(other["refresh_token"])).status_code == 200


def test_changing_the_password_ends_every_session(client, tokens):
    headers = bearer(tokens["access_token"])
    wrong = client.post("/api/v1/users/me/password", headers=headers,
                        json={"current_password": "nope", "new_password": "another1"})
    assert wrong.status_code == 400
    changed = client.post("/api/v1/users/me/password", headers=headers,
                          json={"current_password": "secret123", "new_password": "another1"})
    assert changed.status_code == 200
    assert client.get(ME, headers=headers).status_code == 401
    assert client.post("/api/v1/auth/refresh",
                       headers=bearer(tokens["refresh_token"])).status_code == 401
    assert login(client).status_code == 401
    assert login(client, password="another1").status_code == 200


def test_password_change_validation(client, tokens):
    response = client.post("/api/v1/users/me/password", headers=bearer(tokens["access_token"]),
                           json={"current_password": "secret123", "new_password": "123"})
    assert response.status_code == 422
    assert "new_password" in response.json["errors"]


def test_revocations_can_live_in_redis(app, client, tokens):
    import redis

    from shopapp.auth.revocation import RedisRevocations
    from shopapp.auth.tokens import REVOCATIONS

    store = RedisRevocations(redis.Redis.from_url("redis://127.0.0.1:6379/15"))
    app.extensions[REVOCATIONS] = store
    client.post("/api/v1/auth/logout", headers=bearer(tokens["access_token"]))
    assert client.get(ME, headers=bearer(tokens["access_token"])).status_code == 401
    jti_keys = store.redis.keys("shop:revoked:*")
    assert jti_keys and 0 < store.redis.ttl(jti_keys[0]) <= 3601
