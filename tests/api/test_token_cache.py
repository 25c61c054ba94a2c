"""Verified-token cache (shopapp/auth/token_cache.py): a token's signature is checked once
per process; expiry, revocation, demotion and tampering still count on every request."""

import jwt as pyjwt
import pytest

from shopapp.auth import token_cache
from shopapp.auth.token_cache import EXTENSION_KEY, VerifiedTokens

ME = "/api/v1/users/me"
CART = "/api/v1/cart"


@pytest.fixture
def decodes(monkeypatch):
    """How many times PyJWT verified a signature."""
    calls = []
    real_decode = pyjwt.decode

    def counting_decode(*args, **kwargs):
        if kwargs.get("options", {}).get("verify_signature", True):
            calls.append(args[0] if args else kwargs.get("jwt"))
        return real_decode(*args, **kwargs)

    monkeypatch.setattr(pyjwt, "decode", counting_decode)
    return calls


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_a_token_is_verified_once_then_served_from_the_cache(client, auth, decodes):
    user = auth.register()
    token = auth.token(user["email"], "secret123")
    for _ in range(3):
        assert client.get(ME, headers=bearer(token)).status_code == 200
    assert decodes.count(token) == 1


def test_a_tampered_token_is_rejected_while_the_real_one_is_cached(client, auth):
    user = auth.register()
    token = auth.token(user["email"], "secret123")
    assert client.get(ME, headers=bearer(token)).status_code == 200
    header, payload, signature = token.split(".")
    forged = ".".join([header, payload, signature[:-2] + ("AA" if signature[-2:] != "AA"
                                                          else "BB")])
    response = client.get(ME, headers=bearer(forged))
    assert response.status_code == 401
    assert "signature" in response.json["detail"]


def test_a_cached_token_still_expires(client, auth, app, monkeypatch):
    user = auth.register()
    token = auth.token(user["email"], "secret123")
    assert client.get(ME, headers=bearer(token)).status_code == 200
    lifetime = app.config["JWT_ACCESS_TOKEN_EXPIRES"].total_seconds()
    real_time = token_cache.time.time
    monkeypatch.setattr(token_cache.time, "time", lambda: real_time() + lifetime + 60)
    # The cache lets go of the expired entry; PyJWT (real clock) is then asked and, for
    # this test, must see the token as expired too.
    monkeypatch.setattr(pyjwt.api_jwt, "datetime", FutureDatetime(lifetime + 60))
    response = client.get(ME, headers=bearer(token))
    assert response.status_code == 401
    assert "expired" in response.json["detail"]
    assert token not in app.extensions[EXTENSION_KEY].claims


def test_a_cached_token_is_refused_once_revoked_or_the_user_demoted(client, auth,
                                                                   admin_headers):
    user = auth.register()
    token = auth.token(user["email"], "secret123")
    assert client.get(CART, headers=bearer(token)).status_code == 200
    assert client.post("/api/v1/auth/logout", headers=bearer(token)).status_code == 204
    revoked = client.get(CART, headers=bearer(token))
    assert revoked.status_code == 401 and "revoked" in revoked.json["detail"]

    helper = auth.register()
    url = f"/api/v1/admin/users/{helper['id']}"
    assert client.patch(url, headers=admin_headers, json={"is_admin": True}).status_code == 200
    helper_token = auth.token(helper["email"], "secret123")
    assert client.get("/api/v1/admin/orders", headers=bearer(helper_token)).status_code == 200
    assert client.patch(url, headers=admin_headers, json={"is_admin": False}).status_code == 200
    demoted = client.get("/api/v1/admin/orders", headers=bearer(helper_token))
    assert demoted.status_code in (401, 403)


def test_the_cache_is_bounded_and_forgets_the_oldest():
    cache = VerifiedTokens(size=2)
    for number in range(3):
        cache.put(f"token-{number}", {"exp": 2**40})
    assert cache.get("token-0", 0) is None
    assert cache.get("token-1", 0) == {"exp": 2**40}
    assert cache.get("token-2", 0) == {"exp": 2**40}


def test_each_app_has_its_own_cache(app):
    from shopapp import create_app

    other = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                        "INSTANCE_PATH": app.instance_path, "SEED_ON_START": False})
    assert other.extensions[EXTENSION_KEY] is not app.extensions[EXTENSION_KEY]


class FutureDatetime:
    """Stands in for ``datetime`` inside PyJWT so that its clock runs ahead."""

    def __init__(self, seconds):
        from datetime import datetime, timedelta

        self.real, self.ahead = datetime, timedelta(seconds=seconds)

    def now(self, tz=None):
        return self.real.now(tz) + self.ahead

    def __getattr__(self, name):
        return getattr(self.real, name)
