"""POST /orders (checkout), GET /orders and GET /orders/{id}."""

import json

from tests.support.api_calls import add

ORDERS = "/api/v1/orders"
CART = "/api/v1/cart"


def stock(client, product_id, admin_headers):
    return client.get(f"/api/v1/products/{product_id}",
                      headers=admin_headers).json["inventory_count"]


def test_checkout_with_an_empty_cart_is_400(client, shopper_headers):
    response = client.post(ORDERS, headers=shopper_headers, json={})
    assert response.status_code == 400
    assert response.json["detail"] == "Your cart is empty"


def test_checkout_needs_a_token(client):
    assert client.post(ORDERS, json={}).status_code == 401
    assert client.get(ORDERS).status_code == 401


def test_checkout_turns_the_cart_into_an_order(
        client, shopper_headers, admin_headers, make_product):
    helmet = make_product(name="Helmet", price="250.00", inventory_count=5)
    visor = make_product(name="Visor", price="19.99", inventory_count=10)
    add(client, shopper_headers, helmet["id"], 2)
    add(client, shopper_headers, visor["id"], 3)
    response = client.post(ORDERS, headers=shopper_headers,
                           json={"shipping_address": "1 Pit Lane, Monza"})
    assert response.status_code == 201
    order = response.json
    assert set(order) == {"id", "status", "total_amount", "created_at", "items",
                          "shipping_address"}
    assert order["status"] == "pending"
    assert order["total_amount"] == "559.97"
    assert order["shipping_address"] == "1 Pit Lane, Monza"
    assert order["created_at"].endswith("+00:00")
    lines = {line["product"]["name"]: line for line in order["items"]}
    assert lines["Helmet"]["quantity"] == 2 and lines["Helmet"]["unit_price"] == "250.00"
    assert lines["Visor"]["quantity"] == 3 and lines["Visor"]["unit_price"] == "19.99"
    assert stock(client, helmet["id"], admin_headers) == 3
    assert stock(client, visor["id"], admin_headers) == 7
    assert client.get(CART, headers=shopper_headers).json == {"items": [], "subtotal": "0.00"}


def test_checkout_without_a_body_or_address(client, shopper_headers, make_product):
    add(client, shopper_headers, make_product()["id"])
    response = client.post(ORDERS, headers=shopper_headers)
    assert response.status_code == 201
    assert response.json["shipping_address"] is None


def test_checkout_is_all_or_nothing(client, shopper_headers, admin_headers, make_product):
    plenty = make_product(name="Plenty", inventory_count=10)
    scarce = make_product(name="Scarce", inventory_count=2)
    add(client, shopper_headers, plenty["id"], 4)
    add(client, shopper_headers, scarce["id"], 2)
    cart_before = client.get(CART, headers=shopper_headers).json
    # Stock drops under the cart's quantity after it was added (another buyer, a write-off).
    client.put(f"/api/v1/products/{scarce['id']}", headers=admin_headers,
               json={"inventory_count": 1})
    response = client.post(ORDERS, headers=shopper_headers, json={})
    assert response.status_code == 400
    assert response.json["detail"] == "Only 1 left for Scarce"
    assert stock(client, plenty["id"], admin_headers) == 10
    assert stock(client, scarce["id"], admin_headers) == 1
    cart_after = client.get(CART, headers=shopper_headers).json
    assert [(i["id"], i["quantity"]) for i in cart_after["items"]] == \
        [(i["id"], i["quantity"]) for i in cart_before["items"]]
    assert client.get(ORDERS, headers=shopper_headers).json == []


def test_checkout_of_a_deactivated_product_is_400(
        client, shopper_headers, admin_headers, make_product):
    product = make_product(name="Gone Soon")
    add(client, shopper_headers, product["id"])
    client.put(f"/api/v1/products/{product['id']}", headers=admin_headers,
               json={"is_active": False})
    response = client.post(ORDERS, headers=shopper_headers, json={})
    assert response.status_code == 400
    assert "Gone Soon" in response.json["detail"]
    assert len(client.get(CART, headers=shopper_headers).json["items"]) == 1


def test_unit_price_is_frozen_at_checkout(client, shopper_headers, admin_headers, make_product):
    product = make_product(name="Pricey", price="100.00")
    add(client, shopper_headers, product["id"], 2)
    order = client.post(ORDERS, headers=shopper_headers, json={}).json
    client.put(f"/api/v1/products/{product['id']}", headers=admin_headers,
               json={"price": "150.00", "name": "Renamed"})
    again = client.get(f"{ORDERS}/{order['id']}", headers=shopper_headers).json
    assert again["items"][0]["unit_price"] == "100.00"
    assert again["items"][0]["product_name"] == "Pricey"
    assert again["total_amount"] == "200.00"


def test_history_survives_product_deletion(client, shopper_headers, admin_headers, make_product):
    product = make_product(name="Discontinued")
    add(client, shopper_headers, product["id"])
    order = client.post(ORDERS, headers=shopper_headers, json={}).json
    assert client.delete(f"/api/v1/products/{product['id']}",
                         headers=admin_headers).status_code == 204
    history = client.get(ORDERS, headers=shopper_headers)
    assert history.status_code == 200
    assert history.json[0]["id"] == order["id"]
    assert history.json[0]["items"][0]["product"]["name"] == "Discontinued"
    assert client.get(f"{ORDERS}/{order['id']}", headers=shopper_headers).status_code == 200


def test_history_lists_only_my_orders_newest_first(client, auth, make_product):
    product = make_product(inventory_count=100)
    _, mine = auth.new_shopper()
    _, theirs = auth.new_shopper()
    ids = []
    for _ in range(3):
        add(client, mine, product["id"])
        ids.append(client.post(ORDERS, headers=mine, json={}).json["id"])
    add(client, theirs, product["id"])
    their_order = client.post(ORDERS, headers=theirs, json={}).json
    history = client.get(ORDERS, headers=mine).json
    assert [order["id"] for order in history] == list(reversed(ids))
    assert client.get(f"{ORDERS}/{their_order['id']}", headers=mine).status_code == 404
    assert client.get(f"{ORDERS}/{ids[0]}", headers=theirs).status_code == 404
    assert client.get(f"{ORDERS}/999999", headers=mine).status_code == 404


def test_history_pages(client, shopper_headers, make_product):
    product = make_product(inventory_count=100)
    for _ in range(5):
        add(client, shopper_headers, product["id"])
        client.post(ORDERS, headers=shopper_headers, json={})
    everything = client.get(ORDERS, headers=shopper_headers).json
    page = client.get(ORDERS + "?page=2&page_size=2", headers=shopper_headers)
    assert page.json == everything[2:4]
    assert json.loads(page.headers["X-Pagination"])["total"] == 5


def test_shipping_address_too_long_is_422(client, shopper_headers, make_product):
    add(client, shopper_headers, make_product()["id"])
    response = client.post(ORDERS, headers=shopper_headers, json={"shipping_address": "x" * 501})
    assert response.status_code == 422
    assert "shipping_address" in response.json["errors"]


def test_idempotency_key_replays_the_first_order(client, shopper_headers, make_product):
    product = make_product(inventory_count=10)
    add(client, shopper_headers, product["id"], 2)
    headers = {**shopper_headers, "Idempotency-Key": "order-abc"}
    first = client.post(ORDERS, headers=headers, json={})
    retry = client.post(ORDERS, headers=headers, json={})
    assert first.status_code == retry.status_code == 201
    assert retry.json == first.json
    assert len(client.get(ORDERS, headers=shopper_headers).json) == 1


def test_idempotency_key_reused_for_another_cart_is_409(client, shopper_headers, make_product):
    product = make_product(inventory_count=10)
    headers = {**shopper_headers, "Idempotency-Key": "order-xyz"}
    add(client, shopper_headers, product["id"], 1)
    client.post(ORDERS, headers=headers, json={})
    add(client, shopper_headers, product["id"], 3)
    response = client.post(ORDERS, headers=headers, json={})
    assert response.status_code == 409
    assert "Idempotency-Key" in response.json["detail"]
    assert len(client.get(CART, headers=shopper_headers).json["items"]) == 1


def test_idempotency_key_longer_than_200_is_422(client, shopper_headers, make_product):
    add(client, shopper_headers, make_product()["id"])
    response = client.post(ORDERS, headers={**shopper_headers, "Idempotency-Key": "k" * 201},
                           json={})
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json["errors"]
    assert len(client.get(CART, headers=shopper_headers).json["items"]) == 1


def test_an_expired_idempotency_key_makes_a_new_order(app, client, shopper_headers, make_product):
    from datetime import timedelta

    from shopapp.extensions import db
    from shopapp.models import Order

    product = make_product(inventory_count=10)
    headers = {**shopper_headers, "Idempotency-Key": "old-key"}
    add(client, shopper_headers, product["id"])
    first = client.post(ORDERS, headers=headers, json={}).json
    with app.app_context():
        order = db.session.get(Order, first["id"])
        order.created_at = order.created_at - timedelta(hours=25)
        db.session.commit()
    add(client, shopper_headers, product["id"], 2)
    second = client.post(ORDERS, headers=headers, json={})
    assert second.status_code == 201
    assert second.json["id"] != first["id"]
    assert len(client.get(ORDERS, headers=shopper_headers).json) == 2
