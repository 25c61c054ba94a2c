"""POST /auth/register, POST /auth/login, GET /users/me and every way a token can fail."""

from datetime import timedelta

import pytest
from flask_jwt_extended import create_access_token

REGISTER = "/api/v1/auth/register"
LOGIN = "/api/v1/auth/login"
ME = "/api/v1/users/me"


def assert_401(response):
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert isinstance(response.json["detail"], str) and response.json["detail"]


def test_register_creates_a_shopper_and_never_returns_the_password(client):
    response = client.post(REGISTER, json={"email": "Ann@Example.com", "password": "secret1",
                                           "full_name": "Ann Racer"})
    assert response.status_code == 201
    body = response.json
    assert set(body) == {"id", "email", "full_name", "is_admin", "created_at"}
    assert body["email"] == "ann@example.com"
    assert body["full_name"] == "Ann Racer"
    assert body["is_admin"] is False
    assert body["created_at"].endswith("+00:00")


def test_register_ignores_is_admin_and_other_unknown_fields(client, auth):
    response = client.post(REGISTER, json={"email": "sneaky@example.com", "password": "secret1",
                                           "is_admin": True, "role": "admin"})
    assert response.status_code == 201
    assert response.json["is_admin"] is False
    me = client.get(ME, headers=auth.headers("sneaky@example.com", "secret1"))
    assert me.json["is_admin"] is False


def test_register_without_full_name_gives_null(client):
    response = client.post(REGISTER, json={"email": "n@example.com", "password": "secret1"})
    assert response.status_code == 201
    assert response.json["full_name"] is None


def test_duplicate_email_is_400_whatever_the_case(client, auth):
    auth.register("dup@example.com")
    response = client.post(REGISTER, json={"email": "DUP@example.com", "password": "secret1"})
    assert response.status_code == 400
    assert response.json["detail"] == "Email already registered"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"email": "not-an-email", "password": "secret1"}, "email"),
        ({"email": "a@example.com", "password": "12345"}, "password"),
        ({"password": "secret1"}, "email"),
        ({"email": "a@example.com"}, "password"),
        ({"email": "a@example.com", "password": 123456}, "password"),
        ({"email": "a@example.com", "password": "secret1", "full_name": "x" * 201}, "full_name"),
    ],
)
def test_register_validation_errors_are_422_with_field_messages(client, body, field):
    response = client.post(REGISTER, json=body)
    assert response.status_code == 422
    assert field in response.json["errors"]
    assert field in response.json["detail"]


def test_login_returns_a_bearer_token_with_its_lifetime(client, auth):
    auth.register("login@example.com", "secret1")
    response = client.post(LOGIN, json={"email": "LOGIN@example.com", "password": "secret1"})
    assert response.status_code == 200
    assert response.json["token_type"] == "bearer"
    assert response.json["expires_in"] == 3600
    me = client.get(ME, headers={"Authorization": f"Bearer {response.json['access_token']}"})
    assert me.status_code == 200
    assert me.json["email"] == "login@example.com"


@pytest.mark.parametrize("email, password", [("login@example.com", "wrong-pass"),
                                             ("nobody@example.com", "secret1")])
def test_login_with_bad_credentials_is_401(client, auth, email, password):
    auth.register("login@example.com", "secret1")
    response = client.post(LOGIN, json={"email": email, "password": password})
    assert_401(response)
    assert response.json["detail"] == "Invalid email or password."


def test_login_missing_fields_is_422(client):
    response = client.post(LOGIN, json={"email": "x@example.com"})
    assert response.status_code == 422
    assert "password" in response.json["errors"]


def test_users_me_shows_the_caller(client, shopper):
    user, headers = shopper
    response = client.get(ME, headers=headers)
    assert response.status_code == 200
    assert response.json == user


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer not.a.jwt"},
        {"Authorization": "Bearer " + "a" * 40},
    ],
    ids=["missing", "empty", "wrong-scheme", "garbage", "not-jwt"],
)
def test_missing_or_malformed_tokens_are_401(client, headers):
    assert_401(client.get(ME, headers=headers))


def test_tampered_token_is_401(client, shopper_headers):
    token = shopper_headers["Authorization"].split()[1]
    header, payload, signature = token.split(".")
    tampered = f"{header}.{payload}.{signature[:-4]}AAAA"
    assert_401(client.get(ME, headers={"Authorization": f"Bearer {tampered}"}))


def test_token_signed_with_another_key_is_401(app, client, shopper):
    user, _ = shopper
    other = type(app)("other")
    other.config["JWT_SECRET_KEY"] = "some-other-key-entirely-0123456789abcdef"
    from flask_jwt_extended import JWTManager

    JWTManager(other)
    with other.app_context():
        forged = create_access_token(identity=str(user["id"]), additional_claims={"ver": 0})
    assert_401(client.get(ME, headers={"Authorization": f"Bearer {forged}"}))


def test_expired_token_is_401(app, client, shopper):
    user, _ = shopper
    with app.app_context():
        expired = create_access_token(identity=str(user["id"]), additional_claims={"ver": 0},
                                      expires_delta=timedelta(seconds=-10))
    response = client.get(ME, headers={"Authorization": f"Bearer {expired}"})
    assert_401(response)
    assert "expired" in response.json["detail"]


def test_token_of_a_deleted_user_is_401(client, shopper_headers, admin_headers):
    assert client.get(ME, headers=shopper_headers).status_code == 200
    assert client.post("/api/v1/admin/reset", headers=admin_headers).status_code == 200
    assert_401(client.get(ME, headers=shopper_headers))


def test_password_hash_is_a_slow_hash_in_production_config():
    from shopapp.config import Config

    assert Config.PASSWORD_HASH_METHOD in {"scrypt", "argon2"}
