"""Order states, cancellation with restocking, admin order management and the stock ledger."""

import json

import pytest
from sqlalchemy import func, select

from shopapp.extensions import db
from shopapp.models import Product, StockMovement
from tests.support.api_calls import add

ORDERS = "/api/v1/orders"
ADMIN_ORDERS = "/api/v1/admin/orders"


@pytest.fixture
def ordered(client, shopper_headers, make_product):
    """A pending order of 3 units of a product that started with 10."""
    product = make_product(name="Lifecycle Helmet", inventory_count=10)
    add(client, shopper_headers, product["id"], 3)
    order = client.post(ORDERS, headers=shopper_headers, json={}).json
    return order, product


def stock(client, admin_headers, product_id):
    return client.get(f"/api/v1/products/{product_id}",
                      headers=admin_headers).json["inventory_count"]


def set_status(client, admin_headers, order_id, status):
    return client.patch(f"{ADMIN_ORDERS}/{order_id}", headers=admin_headers,
                        json={"status": status})


def test_shopper_cancels_a_pending_order_and_the_stock_returns(
        client, shopper_headers, admin_headers, ordered):
    order, product = ordered
    assert stock(client, admin_headers, product["id"]) == 7
    response = client.post(f"{ORDERS}/{order['id']}/cancel", headers=shopper_headers)
    assert response.status_code == 200
    assert response.json["status"] == "cancelled"
    assert stock(client, admin_headers, product["id"]) == 10
    again = client.post(f"{ORDERS}/{order['id']}/cancel", headers=shopper_headers)
    assert again.status_code == 400
    assert stock(client, admin_headers, product["id"]) == 10


def test_shopper_cannot_cancel_a_paid_order_but_an_admin_can(
        client, shopper_headers, admin_headers, ordered):
    order, product = ordered
    assert set_status(client, admin_headers, order["id"], "paid").json["status"] == "paid"
    refused = client.post(f"{ORDERS}/{order['id']}/cancel", headers=shopper_headers)
    assert refused.status_code == 400
    assert "paid" in refused.json["detail"]
    by_admin = client.post(f"{ORDERS}/{order['id']}/cancel", headers=admin_headers)
    assert by_admin.status_code == 200
    assert stock(client, admin_headers, product["id"]) == 10


def test_another_shoppers_order_cannot_be_cancelled(client, auth, ordered):
    order, _ = ordered
    _, stranger = auth.new_shopper()
    assert client.post(f"{ORDERS}/{order['id']}/cancel", headers=stranger).status_code == 404


def test_full_lifecycle_and_illegal_moves(client, admin_headers, ordered):
    order, _ = ordered
    illegal = set_status(client, admin_headers, order["id"], "shipped")
    assert illegal.status_code == 400
    assert "Allowed next states: paid, cancelled" in illegal.json["detail"]
    for status in ("paid", "shipped", "delivered"):
        response = set_status(client, admin_headers, order["id"], status)
        assert response.status_code == 200
        assert response.json["status"] == status
    final = set_status(client, admin_headers, order["id"], "cancelled")
    assert final.status_code == 400
    assert "none (final state)" in final.json["detail"]


def test_status_validation_and_errors(client, admin_headers, shopper_headers, ordered):
    order, _ = ordered
    assert set_status(client, admin_headers, order["id"], "teleported").status_code == 422
    assert set_status(client, admin_headers, 999999, "paid").status_code == 404
    assert set_status(client, shopper_headers, order["id"], "paid").status_code == 403


def test_admin_lists_every_order_filtered_and_paged(client, auth, admin_headers, make_product):
    product = make_product(inventory_count=50)
    ids = []
    for _ in range(3):
        _, headers = auth.new_shopper()
        add(client, headers, product["id"])
        ids.append(client.post(ORDERS, headers=headers, json={}).json["id"])
    set_status(client, admin_headers, ids[0], "paid")
    everything = client.get(ADMIN_ORDERS, headers=admin_headers).json
    assert [o["id"] for o in everything] == list(reversed(ids))
    assert all("user_id" in o for o in everything)
    paid = client.get(ADMIN_ORDERS + "?status=paid", headers=admin_headers).json
    assert [o["id"] for o in paid] == [ids[0]]
    page = client.get(ADMIN_ORDERS + "?page=1&page_size=2", headers=admin_headers)
    assert [o["id"] for o in page.json] == [ids[2], ids[1]]
    assert json.loads(page.headers["X-Pagination"])["total"] == 3
    assert client.get(ADMIN_ORDERS + "?status=lost", headers=admin_headers).status_code == 422


def test_admin_stock_adjustments_are_atomic_and_ledgered(
        client, admin_headers, shopper_headers, make_product):
    product = make_product(name="Ledger", inventory_count=5)
    url = f"/api/v1/admin/products/{product['id']}/stock"
    restock = client.post(url, headers=admin_headers, json={"delta": 7, "reason": "delivery"})
    assert restock.status_code == 201
    assert restock.json["inventory_count"] == 12
    write_off = client.post(url, headers=admin_headers, json={"delta": -2, "reason": "damaged"})
    assert write_off.json["inventory_count"] == 10
    too_many = client.post(url, headers=admin_headers, json={"delta": -11})
    assert too_many.status_code == 400
    assert "only 10 left" in too_many.json["detail"]
    assert client.post(url, headers=admin_headers, json={"delta": 0}).status_code == 422
    assert client.post(url, headers=shopper_headers, json={"delta": 1}).status_code == 403
    assert client.post("/api/v1/admin/products/999999/stock", headers=admin_headers,
                       json={"delta": 1}).status_code == 404
    movements = client.get(url, headers=admin_headers).json
    assert [(m["delta"], m["reason"], m["resulting_count"]) for m in movements] == [
        (-2, "damaged", 10), (7, "delivery", 12), (5, "initial stock", 5)]
    assert movements[0]["user_id"] is not None


def test_initial_stock_plus_movements_equals_inventory_for_every_product(
        app, client, auth, admin_headers, make_product):
    """Checkouts, cancellations, admin edits and adjustments all write the ledger."""
    product = make_product(inventory_count=20)
    _, headers = auth.new_shopper()
    add(client, headers, product["id"], 4)
    add(client, headers, 1, 2)
    first = client.post(ORDERS, headers=headers, json={}).json
    add(client, headers, product["id"], 1)
    client.post(ORDERS, headers=headers, json={})
    client.post(f"{ORDERS}/{first['id']}/cancel", headers=headers)
    client.put(f"/api/v1/products/{product['id']}", headers=admin_headers,
               json={"inventory_count": 30})
    client.post(f"/api/v1/admin/products/{product['id']}/stock", headers=admin_headers,
                json={"delta": -3})
    with app.app_context():
        ledger = dict(db.session.execute(
            select(StockMovement.product_id, func.sum(StockMovement.delta))
            .group_by(StockMovement.product_id)).all())
        inventory = dict(db.session.execute(select(Product.id, Product.inventory_count)).all())
    assert ledger == inventory
    assert inventory[product["id"]] == 27
