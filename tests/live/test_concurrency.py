"""The contract's invariants under real concurrency: threads against a live waitress server."""

from collections import Counter

import pytest
import requests

from tests.support.races import race, shopper

pytestmark = pytest.mark.live


def new_product(server, stock):
    response = requests.post(f"{server.api_url}/products", headers=server.admin_headers(),
                             json={"name": "Race Helmet", "price": "100.00",
                                   "inventory_count": stock}, timeout=30)
    response.raise_for_status()
    return response.json()["id"]


def inventory(server, product_id):
    return requests.get(f"{server.api_url}/products/{product_id}",
                        headers=server.admin_headers(), timeout=30).json()["inventory_count"]


def test_60_racing_checkouts_for_20_units_sell_exactly_20(live_server):
    api = live_server.api_url
    product_id = new_product(live_server, 20)
    shoppers = [shopper(api, f"racer{i}@example.com") for i in range(60)]
    for session in shoppers:
        added = session.post(f"{api}/cart/items", json={"product_id": product_id, "quantity": 1},
                             timeout=30)
        assert added.status_code == 201
    responses = race(60, lambda i: shoppers[i].post(f"{api}/orders", json={}, timeout=60))
    statuses = Counter(response.status_code for response in responses)
    assert statuses == {201: 20, 400: 40}, statuses
    assert all(r.json()["detail"] == "Only 0 left for Race Helmet"
               for r in responses if r.status_code == 400)
    assert inventory(live_server, product_id) == 0
    sold = sum(line["quantity"] for session in shoppers
               for order in session.get(f"{api}/orders", timeout=30).json()
               for line in order["items"])
    assert sold == 20


def test_20_racing_registrations_of_one_email_make_one_account(live_server):
    api = live_server.api_url
    responses = race(20, lambda i: requests.post(
        f"{api}/auth/register", json={"email": "same@example.com", "password": "secret1"},
        timeout=60))
    statuses = Counter(response.status_code for response in responses)
    assert statuses == {201: 1, 400: 19}, statuses
    users = requests.get(f"{api}/admin/users", headers=live_server.admin_headers(),
                         timeout=30).json()
    assert [u["email"] for u in users].count("same@example.com") == 1


EMAIL_VARIANTS = ["jos\u00e9@example.com", "jose\u0301@example.com", "JOS\u00c9@example.com",
                  " jos\u00e9@Example.com ", "JOSE\u0301@EXAMPLE.COM", "Jos\u00e9@example.COM"]


def test_racing_registrations_of_variants_of_one_email_make_one_account(live_server):
    # Case, Unicode form and spaces differ; the canonical form (and its unique index) is one.
    api = live_server.api_url
    variants = EMAIL_VARIANTS * 2
    responses = race(len(variants), lambda i: requests.post(
        f"{api}/auth/register", json={"email": variants[i], "password": "secret1"},
        timeout=60))
    statuses = Counter(response.status_code for response in responses)
    assert statuses == {201: 1, 400: len(variants) - 1}, statuses
    users = requests.get(f"{api}/admin/users", headers=live_server.admin_headers(),
                         timeout=30).json()
    assert [u["email"] for u in users if "jos" in u["email"].lower()] == ["jos\u00e9@example.com"]


def test_20_racing_adds_to_one_cart_all_count(live_server):
    api = live_server.api_url
    product_id = new_product(live_server, 100)
    session = shopper(api, "adder@example.com")
    headers = dict(session.headers)
    responses = race(20, lambda i: requests.post(
        f"{api}/cart/items", json={"product_id": product_id, "quantity": 1}, headers=headers,
        timeout=60))
    assert Counter(r.status_code for r in responses) == {201: 20}
    cart = session.get(f"{api}/cart", timeout=30).json()
    assert [(line["product"]["id"], line["quantity"]) for line in cart["items"]] == \
        [(product_id, 20)]


def test_a_double_submitted_checkout_makes_one_order(live_server):
    api = live_server.api_url
    product_id = new_product(live_server, 10)
    session = shopper(api, "double@example.com")
    session.post(f"{api}/cart/items", json={"product_id": product_id, "quantity": 3}, timeout=30)
    headers = dict(session.headers)
    responses = race(10, lambda i: requests.post(f"{api}/orders", json={}, headers=headers,
                                                 timeout=60))
    assert Counter(r.status_code for r in responses) == {201: 1, 400: 9}
    assert all(r.json()["detail"] == "Your cart is empty"
               for r in responses if r.status_code == 400)
    assert len(session.get(f"{api}/orders", timeout=30).json()) == 1
    assert inventory(live_server, product_id) == 7
