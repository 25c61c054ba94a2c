"""GET /cart and the cart lines: adding, changing, removing, and the stock ceiling."""

import pytest

from tests.support.api_calls import add  # noqa: F401 (old import path for others)

CART = "/api/v1/cart"
ITEMS = "/api/v1/cart/items"


def test_a_new_cart_is_empty(client, shopper_headers):
    response = client.get(CART, headers=shopper_headers)
    assert response.status_code == 200
    assert response.json == {"items": [], "subtotal": "0.00"}


def test_cart_needs_a_token(client):
    assert client.get(CART).status_code == 401
    assert client.post(ITEMS, json={"product_id": 1}).status_code == 401


def test_add_returns_the_line_with_its_product(client, shopper_headers, make_product):
    product = make_product(price="19.99", inventory_count=5)
    response = add(client, shopper_headers, product["id"], 2)
    assert response.status_code == 201
    line = response.json
    assert set(line) == {"id", "product", "quantity", "added_at"}
    assert line["quantity"] == 2
    assert line["product"] == product


def test_adding_the_same_product_again_adds_to_the_line(client, shopper_headers, make_product):
    product = make_product(inventory_count=5)
    first = add(client, shopper_headers, product["id"], 2).json
    second = add(client, shopper_headers, product["id"], 3).json
    assert second["id"] == first["id"]
    assert second["quantity"] == 5
    assert len(client.get(CART, headers=shopper_headers).json["items"]) == 1


def test_subtotal_is_exact_decimal_arithmetic(client, shopper_headers, make_product):
    dime = make_product(name="Dime", price="0.10", inventory_count=10)
    third = make_product(name="Third", price="0.20", inventory_count=10)
    add(client, shopper_headers, dime["id"], 3)
    add(client, shopper_headers, third["id"], 1)
    assert client.get(CART, headers=shopper_headers).json["subtotal"] == "0.50"


def test_quantity_defaults_to_one(client, shopper_headers, make_product):
    product = make_product()
    response = client.post(ITEMS, headers=shopper_headers, json={"product_id": product["id"]})
    assert response.status_code == 201
    assert response.json["quantity"] == 1


def test_adding_more_than_the_stock_is_400_and_keeps_the_line(
        client, shopper_headers, make_product):
    product = make_product(name="Rare Helmet", inventory_count=3)
    add(client, shopper_headers, product["id"], 2)
    response = add(client, shopper_headers, product["id"], 2)
    assert response.status_code == 400
    assert response.json["detail"] == "Only 3 left for Rare Helmet"
    assert client.get(CART, headers=shopper_headers).json["items"][0]["quantity"] == 2


@pytest.mark.parametrize("case", ["missing", "inactive"])
def test_adding_an_unknown_or_inactive_product_is_400(
        client, shopper_headers, make_product, case):
    product_id = 999999 if case == "missing" else make_product(is_active=False)["id"]
    response = add(client, shopper_headers, product_id)
    assert response.status_code == 400
    assert response.json["detail"]
    assert client.get(CART, headers=shopper_headers).json["items"] == []


@pytest.mark.parametrize("body, field", [
    ({"product_id": 1, "quantity": 0}, "quantity"),
    ({"product_id": 1, "quantity": -2}, "quantity"),
    ({"product_id": 1, "quantity": "lots"}, "quantity"),
    ({"quantity": 1}, "product_id"),
    ({"product_id": 99999999999999, "quantity": 1}, "product_id"),
])
def test_add_validation_is_422(client, shopper_headers, body, field):
    response = client.post(ITEMS, headers=shopper_headers, json=body)
    assert response.status_code == 422
    assert field in response.json["errors"]


def test_change_quantity(client, shopper_headers, make_product):
    product = make_product(inventory_count=5)
    line = add(client, shopper_headers, product["id"], 1).json
    response = client.put(f"{ITEMS}/{line['id']}", headers=shopper_headers, json={"quantity": 4})
    assert response.status_code == 200
    assert response.json["quantity"] == 4
    assert response.json["id"] == line["id"]


def test_change_quantity_over_stock_is_400(client, shopper_headers, make_product):
    product = make_product(name="Few", inventory_count=2)
    line = add(client, shopper_headers, product["id"], 1).json
    response = client.put(f"{ITEMS}/{line['id']}", headers=shopper_headers, json={"quantity": 3})
    assert response.status_code == 400
    assert response.json["detail"] == "Only 2 left for Few"
    assert client.get(CART, headers=shopper_headers).json["items"][0]["quantity"] == 1


def test_change_quantity_validation(client, shopper_headers, make_product):
    line = add(client, shopper_headers, make_product()["id"]).json
    response = client.put(f"{ITEMS}/{line['id']}", headers=shopper_headers, json={"quantity": 0})
    assert response.status_code == 422


def test_remove_line(client, shopper_headers, make_product):
    line = add(client, shopper_headers, make_product()["id"]).json
    response = client.delete(f"{ITEMS}/{line['id']}", headers=shopper_headers)
    assert response.status_code == 204
    assert client.get(CART, headers=shopper_headers).json["items"] == []
    assert client.delete(f"{ITEMS}/{line['id']}", headers=shopper_headers).status_code == 404


def test_another_users_line_is_not_found(client, auth, shopper_headers, make_product):
    line = add(client, shopper_headers, make_product()["id"]).json
    _, other = auth.new_shopper()
    url = f"{ITEMS}/{line['id']}"
    assert client.put(url, headers=other, json={"quantity": 2}).status_code == 404
    assert client.delete(url, headers=other).status_code == 404
    assert client.get(CART, headers=shopper_headers).json["items"][0]["quantity"] == 1


def test_missing_line_is_404(client, shopper_headers):
    assert client.put(f"{ITEMS}/424242", headers=shopper_headers,
                      json={"quantity": 1}).status_code == 404
    assert client.delete(f"{ITEMS}/99999999999999", headers=shopper_headers).status_code == 404
