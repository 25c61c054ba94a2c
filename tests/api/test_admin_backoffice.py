"""The back office's reads: GET /admin/products, GET /admin/orders/{id}, search on
GET /admin/orders, and the order status history."""

import pytest

from tests.support.api_calls import add

ORDERS = "/api/v1/orders"
ADMIN = "/api/v1/admin"
ADMIN_ORDERS = f"{ADMIN}/orders"
ADMIN_PRODUCTS = f"{ADMIN}/products"


def place_order(client, headers, product_id, quantity=1):
    assert add(client, headers, product_id, quantity).status_code in (200, 201)
    response = client.post(ORDERS, headers=headers, json={})
    assert response.status_code == 201, response.json
    return response.json


@pytest.mark.parametrize("url", [ADMIN_PRODUCTS, ADMIN_ORDERS + "/1", ADMIN_ORDERS + "?q=x"])
def test_new_reads_are_401_without_token_and_403_for_shoppers(client, shopper_headers, url):
    assert client.get(url).status_code == 401
    forbidden = client.get(url, headers=shopper_headers)
    assert forbidden.status_code == 403
    assert forbidden.json["detail"] == "Admin rights required."


# ------------------------------------------------------------------ GET /admin/products


@pytest.fixture
def mixed_catalog(client, admin_headers, make_product):
    """An active, an inactive and a deleted product, all named 'Zephyr ...'."""
    active = make_product(name="Zephyr Active")
    inactive = make_product(name="Zephyr Inactive", is_active=False)
    deleted = make_product(name="Zephyr Deleted")
    assert client.delete(f"/api/v1/products/{deleted['id']}",
                         headers=admin_headers).status_code == 204
    return active, inactive, deleted


def names(response):
    assert response.status_code == 200, response.json
    return [product["name"] for product in response.json]


def test_admin_products_lists_inactive_ones_but_not_deleted_ones(
        client, admin_headers, mixed_catalog):
    listed = names(client.get(ADMIN_PRODUCTS, headers=admin_headers, query_string={"q": "zephyr"}))
    assert listed == ["Zephyr Active", "Zephyr Inactive"]
    every = client.get(ADMIN_PRODUCTS, headers=admin_headers).json
    public = client.get("/api/v1/products").json
    assert len(every) == len(public) + 1  # the seeded catalog plus the two new, less one
    assert all(product["deleted_at"] is None for product in every)


@pytest.mark.parametrize("status, expected", [
    ("active", ["Zephyr Active"]), ("inactive", ["Zephyr Inactive"]),
])
def test_admin_products_status_filter(client, admin_headers, mixed_catalog, status, expected):
    response = client.get(ADMIN_PRODUCTS, headers=admin_headers,
                          query_string={"q": "zephyr", "status": status})
    assert names(response) == expected


def test_admin_products_include_deleted(client, admin_headers, mixed_catalog):
    response = client.get(ADMIN_PRODUCTS, headers=admin_headers,
                          query_string={"q": "zephyr", "include_deleted": "true",
                                        "sort": "-name"})
    assert names(response) == ["Zephyr Inactive", "Zephyr Deleted", "Zephyr Active"]
    deleted = next(p for p in response.json if p["name"] == "Zephyr Deleted")
    assert deleted["deleted_at"] is not None and deleted["is_active"] is False


def test_admin_products_pages_like_the_catalog(client, admin_headers, mixed_catalog):
    response = client.get(ADMIN_PRODUCTS, headers=admin_headers,
                          query_string={"q": "zephyr", "page": 2, "page_size": 1})
    assert names(response) == ["Zephyr Inactive"]
    assert '"total": 2' in response.headers["X-Pagination"]
    assert '"total_pages": 2' in response.headers["X-Pagination"]


@pytest.mark.parametrize("query", [{"status": "gone"}, {"sort": "stock"},
                                   {"include_deleted": "maybe"}, {"page_size": 0}])
def test_admin_products_rejects_bad_queries(client, admin_headers, query):
    response = client.get(ADMIN_PRODUCTS, headers=admin_headers, query_string=query)
    assert response.status_code == 422
    assert response.json["detail"]


# ------------------------------------------------------------------ orders and history


@pytest.fixture
def product(make_product):
    return make_product(name="History Helmet", price="20.00", inventory_count=50)


def test_admin_order_view_has_customer_next_states_and_checkout_history(
        client, auth, admin_headers, product):
    shopper, headers = auth.new_shopper()
    order = place_order(client, headers, product["id"], 2)
    response = client.get(f"{ADMIN_ORDERS}/{order['id']}", headers=admin_headers)
    assert response.status_code == 200
    body = response.json
    assert body["customer_email"] == shopper["email"]
    assert body["user_id"] == shopper["id"]
    assert body["allowed_transitions"] == ["paid", "cancelled"]
    assert body["total_amount"] == "40.00"
    assert [line["quantity"] for line in body["items"]] == [2]
    [checkout] = body["status_history"]
    assert checkout["from_status"] is None and checkout["to_status"] == "pending"
    assert checkout["actor_id"] == shopper["id"]
    assert checkout["actor_email"] == shopper["email"]
    assert checkout["at"] == body["created_at"]


def test_every_move_is_recorded_oldest_first(client, auth, admin_headers, product):
    shopper, headers = auth.new_shopper()
    admin = client.get("/api/v1/users/me", headers=admin_headers).json
    order = place_order(client, headers, product["id"])
    for status in ("paid", "shipped"):
        moved = client.patch(f"{ADMIN_ORDERS}/{order['id']}", headers=admin_headers,
                             json={"status": status})
        assert moved.status_code == 200
    history = moved.json["status_history"]
    assert [(h["from_status"], h["to_status"]) for h in history] == [
        (None, "pending"), ("pending", "paid"), ("paid", "shipped")]
    assert [h["actor_id"] for h in history] == [shopper["id"], admin["id"], admin["id"]]
    assert history[0]["at"] <= history[1]["at"] <= history[2]["at"]
    assert moved.json["allowed_transitions"] == ["delivered"]
    refused = client.patch(f"{ADMIN_ORDERS}/{order['id']}", headers=admin_headers,
                           json={"status": "paid"})
    assert refused.status_code == 400
    again = client.get(f"{ADMIN_ORDERS}/{order['id']}", headers=admin_headers).json
    assert len(again["status_history"]) == 3  # a refused move leaves no trace


def test_cancellations_are_recorded_with_who_cancelled(client, auth, admin_headers, product):
    shopper, headers = auth.new_shopper()
    by_shopper = place_order(client, headers, product["id"])
    assert client.post(f"{ORDERS}/{by_shopper['id']}/cancel", headers=headers).status_code == 200
    by_admin = place_order(client, headers, product["id"])
    assert client.post(f"{ORDERS}/{by_admin['id']}/cancel",
                       headers=admin_headers).status_code == 200
    admin_id = client.get("/api/v1/users/me", headers=admin_headers).json["id"]
    for order, actor in ((by_shopper, shopper["id"]), (by_admin, admin_id)):
        body = client.get(f"{ADMIN_ORDERS}/{order['id']}", headers=admin_headers).json
        last = body["status_history"][-1]
        assert (last["from_status"], last["to_status"], last["actor_id"]) == \
            ("pending", "cancelled", actor)
        assert body["allowed_transitions"] == []


def test_unknown_order_is_404(client, admin_headers):
    response = client.get(f"{ADMIN_ORDERS}/999999", headers=admin_headers)
    assert response.status_code == 404
    assert response.json["detail"] == "Order not found"


def test_admin_order_list_items_carry_the_admin_fields(client, auth, admin_headers, product):
    shopper, headers = auth.new_shopper()
    first = place_order(client, headers, product["id"])
    second = place_order(client, headers, product["id"])
    listed = client.get(ADMIN_ORDERS, headers=admin_headers).json
    assert [o["id"] for o in listed[:2]] == [second["id"], first["id"]]
    assert listed[0]["customer_email"] == shopper["email"]
    assert listed[0]["status_history"][0]["to_status"] == "pending"


@pytest.fixture
def two_customers(client, auth, product):
    """Orders by alice.search@example.com (two) and bob.search@example.org (one)."""
    orders = {}
    for email, count in (("alice.search@example.com", 2), ("bob.search@example.org", 1)):
        auth.register(email)
        headers = auth.headers(email)
        orders[email] = [place_order(client, headers, product["id"]) for _ in range(count)]
    return orders


def searched(client, admin_headers, **query):
    response = client.get(ADMIN_ORDERS, headers=admin_headers, query_string=query)
    assert response.status_code == 200, response.json
    return [order["id"] for order in response.json]


def test_search_by_part_of_the_email_in_any_case(client, admin_headers, two_customers):
    alice = [o["id"] for o in reversed(two_customers["alice.search@example.com"])]
    assert searched(client, admin_headers, q="ALICE.Search") == alice
    bob = two_customers["bob.search@example.org"][0]["id"]
    assert searched(client, admin_headers, q="example.org") == [bob]
    assert searched(client, admin_headers, q="%") == []  # wildcards are plain text
    assert searched(client, admin_headers, q="nobody") == []


def test_search_by_order_id(client, admin_headers, two_customers):
    bob = two_customers["bob.search@example.org"][0]["id"]
    assert bob in searched(client, admin_headers, q=str(bob))
    assert searched(client, admin_headers, q=f"#{bob}")[0] == bob
    assert searched(client, admin_headers, q="99999999999") == []  # beyond any id


def test_search_combines_with_status_and_paging(client, admin_headers, two_customers):
    first, second = two_customers["alice.search@example.com"]
    assert client.patch(f"{ADMIN_ORDERS}/{first['id']}", headers=admin_headers,
                        json={"status": "paid"}).status_code == 200
    assert searched(client, admin_headers, q="alice", status="paid") == [first["id"]]
    response = client.get(ADMIN_ORDERS, headers=admin_headers,
                          query_string={"q": "alice", "page": 1, "page_size": 1})
    assert [o["id"] for o in response.json] == [second["id"]]
    assert '"total": 2' in response.headers["X-Pagination"]
