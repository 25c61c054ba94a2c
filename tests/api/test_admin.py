"""POST /admin/reset, GET /admin/users, PATCH /admin/users/{id}."""

import pytest

USERS = "/api/v1/admin/users"


def test_reset_empties_everything_and_reseeds(client, auth, admin_headers, make_product):
    make_product(name="Temporary")
    user, headers = auth.new_shopper()
    response = client.post("/api/v1/admin/reset", headers=admin_headers)
    assert response.status_code == 200
    assert response.json["detail"]
    names = [p["name"] for p in client.get("/api/v1/products").json]
    assert len(names) == 12 and "Temporary" not in names
    assert client.post("/api/v1/auth/login", json={"email": user["email"],
                                                   "password": "secret123"}).status_code == 401
    users = client.get(USERS, headers=auth.admin()).json
    assert [u["email"] for u in users] == ["admin@example.com"]


@pytest.mark.parametrize("method, url", [
    ("post", "/api/v1/admin/reset"), ("get", USERS), ("patch", f"{USERS}/1"),
])
def test_admin_routes_are_401_without_token_and_403_for_shoppers(
        client, shopper_headers, method, url):
    anonymous = getattr(client, method)(url, json={"is_admin": True})
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"] == "Bearer"
    forbidden = getattr(client, method)(url, json={"is_admin": True}, headers=shopper_headers)
    assert forbidden.status_code == 403
    assert forbidden.json["detail"] == "Admin rights required."


def test_users_newest_first_without_passwords(client, auth, admin_headers):
    first = auth.register("first@example.com")
    second = auth.register("second@example.com")
    users = client.get(USERS, headers=admin_headers).json
    assert [u["id"] for u in users[:2]] == [second["id"], first["id"]]
    assert all(set(u) == {"id", "email", "full_name", "is_admin", "created_at"} for u in users)


def test_promote_and_demote(client, auth, admin_headers):
    user, shopper_headers = auth.new_shopper()
    promoted = client.patch(f"{USERS}/{user['id']}", headers=admin_headers,
                            json={"is_admin": True})
    assert promoted.status_code == 200
    assert promoted.json["is_admin"] is True
    assert client.get(USERS, headers=shopper_headers).status_code == 200
    demoted = client.patch(f"{USERS}/{user['id']}", headers=admin_headers,
                           json={"is_admin": False})
    assert demoted.json["is_admin"] is False
    # The same token loses admin rights at once: roles come from the database.
    assert client.get(USERS, headers=shopper_headers).status_code == 403


def test_removing_your_own_admin_role_is_400(client, admin_headers):
    me = client.get("/api/v1/users/me", headers=admin_headers).json
    response = client.patch(f"{USERS}/{me['id']}", headers=admin_headers,
                            json={"is_admin": False})
    assert response.status_code == 400
    assert response.json["detail"] == "You cannot remove your own admin role"
    assert client.get("/api/v1/users/me", headers=admin_headers).json["is_admin"] is True


def test_patch_unknown_user_is_404_and_bad_body_is_422(client, admin_headers):
    assert client.patch(f"{USERS}/999999", headers=admin_headers,
                        json={"is_admin": True}).status_code == 404
    invalid = client.patch(f"{USERS}/1", headers=admin_headers, json={"is_admin": "maybe"})
    assert invalid.status_code == 422
    assert "is_admin" in invalid.json["errors"]
    assert client.patch(f"{USERS}/1", headers=admin_headers, json={}).status_code == 422
