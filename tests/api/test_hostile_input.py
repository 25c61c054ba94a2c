"""The defects of issue 13, one by one, over HTTP on every test database.

Each was a 500 (or a second account) before: nested JSON, NUL bytes (PostgreSQL refuses
them), invisible characters in emails, digits other than ASCII, token subjects out of
range. tests/api/test_hostile_corpus.py sends the same kinds of input to every operation.
"""

import pytest
from flask_jwt_extended import create_access_token

REGISTER = "/api/v1/auth/register"
LOGIN = "/api/v1/auth/login"
PRODUCTS = "/api/v1/products"
ITEMS = "/api/v1/cart/items"
ORDERS = "/api/v1/orders"
ME = "/api/v1/users/me"


def assert_refused(response, status, field=None):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json and response.json["detail"]
    if field is not None:
        assert field in response.json["errors"], response.json
        assert field in response.json["detail"]


@pytest.mark.parametrize("path", [REGISTER, LOGIN, PRODUCTS, ITEMS, ORDERS])
def test_deeply_nested_json_is_400_before_parsing(client, admin_headers, path):
    body = '{"email": ' + "[" * 10_000 + "]" * 10_000 + "}"
    response = client.post(path, data=body, content_type="application/json",
                           headers=admin_headers)
    assert_refused(response, 400)
    assert "nested too deeply" in response.json["detail"]


def test_nesting_within_the_limit_is_read_as_usual(client):
    body = '{"email": "a@example.com", "password": "secret123", "x": ' + "[" * 60 + "]" * 60 + "}"
    response = client.post(REGISTER, data=body, content_type="application/json")
    assert response.status_code == 201


def test_nul_in_login_email_is_422(client):
    assert_refused(client.post(LOGIN, json={"email": "a\x00@example.com", "password": "x"}),
                   422, "email")


def test_nul_in_full_name_is_422(client):
    response = client.post(REGISTER, json={"email": "n@example.com", "password": "secret123",
                                           "full_name": "Ann\x00"})
    assert_refused(response, 422, "full_name")


def test_nul_in_product_name_is_422(client, admin_headers):
    response = client.post(PRODUCTS, headers=admin_headers,
                           json={"name": "Helmet\x00", "price": "10.00"})
    assert_refused(response, 422, "name")


def test_nul_in_search_is_422(client):
    assert_refused(client.get(PRODUCTS + "?q=%00"), 422, "q")


def test_nul_in_shipping_address_is_422(client, shopper_headers, make_product):
    product = make_product()
    client.post(ITEMS, headers=shopper_headers, json={"product_id": product["id"]})
    response = client.post(ORDERS, headers=shopper_headers,
                           json={"shipping_address": "1 Main St\x00"})
    assert_refused(response, 422, "shipping_address")


def test_a_multiline_address_keeps_its_newlines(client, shopper_headers, make_product):
    product = make_product()
    client.post(ITEMS, headers=shopper_headers, json={"product_id": product["id"]})
    response = client.post(ORDERS, headers=shopper_headers,
                           json={"shipping_address": "1 Main St\nSpringfield"})
    assert response.status_code == 201
    assert response.json["shipping_address"] == "1 Main St\nSpringfield"


def test_text_is_stored_in_nfc(client, admin_headers):
    response = client.post(PRODUCTS, headers=admin_headers,
                           json={"name": "Cafe\u0301 racer", "price": "10.00"})
    assert response.status_code == 201
    assert response.json["name"] == "Caf\u00e9 racer"


def test_a_password_with_a_nul_is_422_not_500(client):
    response = client.post(REGISTER, json={"email": "p@example.com", "password": "secret\x00"})
    assert_refused(response, 422, "password")


def test_zero_width_space_does_not_make_a_second_account(client, auth):
    auth.register("user@example.com")
    response = client.post(REGISTER, json={"email": "user@example.com\u200b",
                                           "password": "secret123"})
    assert_refused(response, 422, "email")


@pytest.mark.parametrize("variant", ["USER@example.com", " user@Example.com ",
                                     "us\u0065r@example.com"])
def test_variants_of_an_email_are_the_same_account(client, auth, variant):
    auth.register("user@example.com")
    response = client.post(REGISTER, json={"email": variant, "password": "secret123"})
    assert_refused(response, 400)
    assert response.json["detail"] == "Email already registered"
    assert auth.token(variant, "secret123")


def test_unicode_forms_of_an_email_are_the_same_account(client, auth):
    auth.register("jos\u00e9@example.com")
    response = client.post(REGISTER, json={"email": "jose\u0301@example.com",
                                           "password": "secret123"})
    assert_refused(response, 400)
    assert auth.token("JOSE\u0301@example.com", "secret123")


def test_arabic_indic_quantity_is_422(client, shopper_headers, make_product):
    product = make_product()
    response = client.post(ITEMS, headers=shopper_headers,
                           json={"product_id": product["id"], "quantity": "\u0663"})
    assert_refused(response, 422, "quantity")


def test_non_ascii_digits_in_money_and_query_are_422(client, admin_headers):
    response = client.post(PRODUCTS, headers=admin_headers,
                           json={"name": "X", "price": "\u0661\u0660.00"})
    assert_refused(response, 422, "price")
    assert_refused(client.get(PRODUCTS + "?page=%D9%A3"), 422, "page")


def test_non_ascii_digits_in_a_path_are_404(client, make_product):
    product_id = str(make_product()["id"])
    arabic_indic = "".join(chr(0x660 + int(digit)) for digit in product_id)
    assert client.get(f"{PRODUCTS}/{product_id}").status_code == 200
    assert_refused(client.get(f"{PRODUCTS}/{arabic_indic}"), 404)


@pytest.mark.parametrize("subject", [str(2**70), "abc", "-1", "0", "2147483648", "\u0663"])
def test_a_signed_token_with_an_impossible_user_id_is_401(app, client, subject):
    with app.app_context():
        token = create_access_token(identity=subject)
    response = client.get(ME, headers={"Authorization": f"Bearer {token}"})
    assert_refused(response, 401)
    # The database answers the next request as usual (nothing was left half-done).
    assert client.get(PRODUCTS).status_code == 200


def test_restocking_beyond_the_documented_maximum_is_400(client, admin_headers, make_product):
    # Found by tests/api/test_stateful_fuzz.py: a product then showed an inventory_count
    # above the maximum its schema documents.
    product = make_product(inventory_count=30)
    response = client.post(f"/api/v1/admin/products/{product['id']}/stock",
                           headers=admin_headers, json={"delta": 1_000_000_000})
    assert_refused(response, 400)
    assert "would hold more than 1000000000" in response.json["detail"]
    stock = client.get(f"{PRODUCTS}/{product['id']}", headers=admin_headers)
    assert stock.json["inventory_count"] == 30
