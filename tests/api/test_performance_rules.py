"""Performance rules that can be asserted without timing anything (docs/PERFORMANCE.md).

- Reads and checkout issue a fixed number of SQL statements whatever the number of cart
  lines, order lines or orders (no N+1), counted with a SQLAlchemy event listener.
- The catalog answer carries a strong ETag, answers 304 to a matching If-None-Match, and
  changes after every kind of write to products: admin edits, stock moves, checkouts,
  cancellations, resets, and writes made by another connection (another process).
- Catalog pages read their rows in index order (SQLite's plan has no sort step), and
  every page of every sort order fits together into the full list.
"""

import http.client
import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, select, text

from shopapp.extensions import db
from shopapp.models import CatalogVersion
from shopapp.products import catalog_cache
from shopapp.products.service import SORT_COLUMNS, catalog_statement
from shopapp.web.json_provider import OrjsonProvider
from tests.support.api_calls import add
from tests.support.statements import statements_for

PRODUCTS = "/api/v1/products"
CART = "/api/v1/cart"
ORDERS = "/api/v1/orders"


# --------------------------------------------------------------------------- query counts


def catalog_ids(client, count):
    return [product["id"] for product in client.get(PRODUCTS).json[:count]]


def place_order(client, headers, product_ids):
    for product_id in product_ids:
        assert add(client, headers, product_id).status_code == 201
    response = client.post(ORDERS, headers=headers, json={})
    assert response.status_code == 201, response.json
    return response.json


def test_get_cart_costs_the_same_for_one_line_and_for_five(app, client, auth):
    ids = catalog_ids(client, 5)
    _, small = auth.new_shopper()
    _, big = auth.new_shopper()
    add(client, small, ids[0])
    for product_id in ids:
        add(client, big, product_id)
    client.get(CART, headers=small)  # warm-up: first-request work is not the rule
    one = statements_for(app, client, "GET", CART, small)
    five = statements_for(app, client, "GET", CART, big)
    assert len(client.get(CART, headers=big).json["items"]) == 5
    assert one == five


def test_get_orders_costs_the_same_for_one_order_and_for_many(app, client, auth):
    ids = catalog_ids(client, 3)
    _, few = auth.new_shopper()
    _, many = auth.new_shopper()
    place_order(client, few, ids[:1])
    for _ in range(4):
        place_order(client, many, ids)
    client.get(ORDERS, headers=few)
    assert statements_for(app, client, "GET", ORDERS, few) == \
        statements_for(app, client, "GET", ORDERS, many)
    page = ORDERS + "?page=1&page_size=2"
    assert statements_for(app, client, "GET", page, few) == \
        statements_for(app, client, "GET", page, many)


def test_admin_orders_cost_the_same_for_one_order_and_for_many(app, client, auth,
                                                               admin_headers):
    """Customer and status history come in a fixed number of statements (no N+1)."""
    ids = catalog_ids(client, 3)
    _, first = auth.new_shopper()
    one = place_order(client, first, ids[:1])
    admin_orders = "/api/v1/admin/orders"
    client.get(admin_orders, headers=admin_headers)
    single = statements_for(app, client, "GET", admin_orders, admin_headers)
    for _ in range(3):
        _, other = auth.new_shopper()
        order = place_order(client, other, ids)
        assert client.patch(f"{admin_orders}/{order['id']}", headers=admin_headers,
                            json={"status": "paid"}).status_code == 200
    assert statements_for(app, client, "GET", admin_orders, admin_headers) == single
    searched = admin_orders + "?q=example.com&page=1&page_size=3"
    assert statements_for(app, client, "GET", searched, admin_headers) == single + 1  # count
    assert statements_for(app, client, "GET", f"{admin_orders}/{one['id']}", admin_headers) == \
        statements_for(app, client, "GET", f"{admin_orders}/{order['id']}", admin_headers)


def test_get_one_order_costs_the_same_for_one_line_and_for_three(app, client, auth):
    ids = catalog_ids(client, 3)
    _, headers = auth.new_shopper()
    short = place_order(client, headers, ids[:1])
    long = place_order(client, headers, ids)
    client.get(f"{ORDERS}/{short['id']}", headers=headers)
    assert statements_for(app, client, "GET", f"{ORDERS}/{short['id']}", headers) == \
        statements_for(app, client, "GET", f"{ORDERS}/{long['id']}", headers)


def test_checkout_costs_the_same_for_one_line_and_for_four(app, client, auth):
    ids = catalog_ids(client, 4)
    _, warm = auth.new_shopper()
    place_order(client, warm, ids[:1])
    counts = []
    for lines in (ids[:1], ids):
        _, headers = auth.new_shopper()
        for product_id in lines:
            add(client, headers, product_id)
        counts.append(statements_for(app, client, "POST", ORDERS, headers, json={}))
    assert counts[0] == counts[1]


def test_hot_paths_keep_their_statement_budget(app, client, auth, backend):
    """The busiest requests' exact statement counts (docs/PERFORMANCE.md): one for the token
    (user and revocation together), then the work itself, and no reading back."""
    # On PostgreSQL every transaction first takes the reset gate's shared lock, in the
    # round trip of its BEGIN (shopapp/database/reset_gate.py; SQLite's single writer needs
    # no gate); add-to-cart reads the product and upserts the line in one statement
    # (cart/service.py, ADD_IN_ONE_STATEMENT), and the checkout claims, sells and writes the
    # order, its lines, the ledger and the history in one (orders/service.py, CHECKOUT).
    budget = {
        "sqlite": {"add": 3, "cart": 2, "checkout": 7},
        "postgresql": {"add": 3, "cart": 3, "checkout": 3},
    }[backend]
    ids = catalog_ids(client, 2)
    _, headers = auth.new_shopper()
    add(client, headers, ids[0])  # warm-up
    counts = {
        "add": statements_for(app, client, "POST", CART + "/items", headers,
                              json={"product_id": ids[1], "quantity": 1}),
        "cart": statements_for(app, client, "GET", CART, headers),
        "checkout": statements_for(app, client, "POST", ORDERS, headers, json={}),
    }
    assert counts == budget


def test_answers_built_from_written_values_match_a_fresh_read(client, auth):
    """Add-to-cart and checkout answer from what they wrote instead of reading it back:
    the answers must equal what the database says afterwards."""
    ids = catalog_ids(client, 3)
    _, headers = auth.new_shopper()
    added = [add(client, headers, product_id, quantity=2).json for product_id in ids]
    again = add(client, headers, ids[0]).json  # adding to an existing line
    assert again["quantity"] == 3 and again["id"] == added[0]["id"]
    assert again["added_at"] == added[0]["added_at"]
    cart = client.get(CART, headers=headers).json["items"]
    assert [again, *added[1:]] == cart
    placed = client.post(ORDERS, headers=headers,
                         json={"shipping_address": "1 Pit Lane"}).json
    assert placed == client.get(f"{ORDERS}/{placed['id']}", headers=headers).json
    assert [item["product"]["id"] for item in placed["items"]] == sorted(ids)
    assert placed["total_amount"] == str(sum(
        Decimal(item["unit_price"]) * item["quantity"] for item in placed["items"]))


# --------------------------------------------------------------------------- ETag and 304


def catalog(client, headers=None):
    response = client.get(PRODUCTS, headers=headers or {})
    assert response.status_code in (200, 304)
    return response


def strong_etag(response):
    etag = response.headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"'), etag
    return etag


def test_the_catalog_carries_a_strong_etag_and_is_revalidated(client):
    first = catalog(client)
    etag = strong_etag(first)
    assert first.headers["Cache-Control"] == "no-cache"
    assert first.mimetype == "application/json"
    assert catalog(client).headers["ETag"] == etag
    # The cached bytes are exactly the catalog the uncached path computes.
    assert first.json == client.get(PRODUCTS + "?sort=id").json


@pytest.mark.parametrize("header", ["{etag}", "W/{etag}", '"other", {etag}', "*"])
def test_a_matching_if_none_match_is_a_304_without_body(client, header):
    etag = strong_etag(catalog(client))
    response = client.get(PRODUCTS, headers={"If-None-Match": header.format(etag=etag)})
    assert response.status_code == 304
    assert response.data == b""
    assert response.headers["ETag"] == etag
    assert response.headers["Cache-Control"] == "no-cache"


def test_an_outdated_if_none_match_gets_the_catalog(client):
    response = client.get(PRODUCTS, headers={"If-None-Match": '"not-the-catalog"'})
    assert response.status_code == 200
    assert len(response.json) == 12


def test_pages_and_searches_are_not_served_from_the_cache(client):
    response = client.get(PRODUCTS + "?page=1&page_size=5")
    assert "ETag" not in response.headers
    assert json.loads(response.headers["X-Pagination"])["total"] == 12
    assert len(response.json) == 5


def assert_changed_by(client, write):
    """``write()`` changes the catalog: the old ETag no longer gets a 304."""
    before = catalog(client)
    etag = strong_etag(before)
    write()
    after = client.get(PRODUCTS, headers={"If-None-Match": etag})
    assert after.status_code == 200, "a stale catalog was revalidated"
    assert after.headers["ETag"] != etag
    assert after.json != before.json
    return after.json


def by_id(products, product_id):
    return next(product for product in products if product["id"] == product_id)


def test_admin_product_writes_change_the_catalog(client, admin_headers, make_product):
    made = {}
    products = assert_changed_by(client, lambda: made.update(make_product(name="Fresh")))
    assert by_id(products, made["id"])["name"] == "Fresh"
    url = f"{PRODUCTS}/{made['id']}"
    products = assert_changed_by(client, lambda: client.put(
        url, headers=admin_headers, json={"price": "42.00", "inventory_count": 3}))
    assert by_id(products, made["id"])["price"] == "42.00"
    assert by_id(products, made["id"])["inventory_count"] == 3
    products = assert_changed_by(client, lambda: client.delete(url, headers=admin_headers))
    assert made["id"] not in {product["id"] for product in products}


def test_stock_adjustments_change_the_catalog(client, admin_headers):
    product = catalog(client).json[0]
    products = assert_changed_by(client, lambda: client.post(
        f"/api/v1/admin/products/{product['id']}/stock", headers=admin_headers,
        json={"delta": 5, "reason": "restock"}))
    assert by_id(products, product["id"])["inventory_count"] == product["inventory_count"] + 5


def test_checkouts_and_cancellations_change_the_catalog(client, shopper_headers):
    product = catalog(client).json[0]
    add(client, shopper_headers, product["id"], 2)
    order = {}
    products = assert_changed_by(client, lambda: order.update(
        client.post(ORDERS, headers=shopper_headers, json={}).json))
    assert by_id(products, product["id"])["inventory_count"] == product["inventory_count"] - 2
    products = assert_changed_by(client, lambda: client.post(
        f"{ORDERS}/{order['id']}/cancel", headers=shopper_headers))
    assert by_id(products, product["id"])["inventory_count"] == product["inventory_count"]


def test_a_reset_changes_the_catalog(client, admin_headers):
    first = catalog(client).json[0]
    client.put(f"{PRODUCTS}/{first['id']}", headers=admin_headers, json={"name": "Renamed"})
    products = assert_changed_by(client, lambda: client.post(
        "/api/v1/admin/reset", headers=admin_headers))
    assert "Renamed" not in {product["name"] for product in products}


def test_a_write_by_another_process_changes_the_catalog(app, client):
    """Another connection (as another server process or plain SQL would) is seen at once."""
    product = catalog(client).json[0]
    url = app.config["SQLALCHEMY_DATABASE_URI"]

    def write_elsewhere():
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("UPDATE products SET price = 7.00 WHERE id = :id"),
                               {"id": product["id"]})
        engine.dispose()

    products = assert_changed_by(client, write_elsewhere)
    assert by_id(products, product["id"])["price"] == "7.00"


def test_the_catalog_version_moves_with_every_products_write(app, session, make_product):
    def version():
        return session.scalar(select(CatalogVersion.version).where(CatalogVersion.id == 1))

    start = version()
    session.rollback()
    make_product()
    session.rollback()  # end the read transaction: see the other request's commit
    assert version() > start


def test_page_totals_follow_writes(client, make_product):
    def total():
        response = client.get(PRODUCTS + "?page=1&page_size=5&q=helmet")
        return json.loads(response.headers["X-Pagination"])["total"]

    before = total()
    make_product(name="Another Helmet")
    assert total() == before + 1


def test_the_cache_can_be_switched_off(app, client):
    app.extensions[catalog_cache.EXTENSION_KEY].enabled = False
    first = catalog(client)
    etag = strong_etag(first)
    assert client.get(PRODUCTS, headers={"If-None-Match": etag}).status_code == 304
    assert len(first.json) == 12


# --------------------------------------------------------------------------- catalog pages


@pytest.mark.parametrize("sort", sorted(SORT_COLUMNS))
def test_pages_fit_together_in_every_sort_order(client, make_product, sort):
    for number in range(3):  # equal prices and names: ties need a stable order
        make_product(name="Twin", price="100.00", inventory_count=number + 1)
    full = client.get(f"{PRODUCTS}?sort={sort}").json
    pages = []
    for page in range(1, 5):
        pages += client.get(f"{PRODUCTS}?sort={sort}&page={page}&page_size=4").json
    assert [product["id"] for product in pages] == [product["id"] for product in full]


# SQLite only: its EXPLAIN QUERY PLAN is deterministic; PostgreSQL's plans depend on
# table statistics (the paging benchmark covers both).
@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize("sort", sorted(SORT_COLUMNS))
def test_catalog_pages_read_in_index_order(app, backend, sort):
    """No sort step over the whole catalog: a page of 20 costs the same with 10,000 rows."""
    with app.app_context():
        statement = catalog_statement(sort=sort).limit(20)
        sql = str(statement.compile(db.engine, compile_kwargs={"literal_binds": True}))
        plan = " / ".join(row[-1] for row in db.session.execute(text("EXPLAIN QUERY PLAN " + sql)))
    assert "TEMP B-TREE" not in plan, plan
    assert "USING INDEX ix_products_active_" in plan, plan


# --------------------------------------------------------------------------- JSON and HTTP


def test_the_orjson_provider_writes_what_flask_would(app):
    provider = app.json
    assert isinstance(provider, OrjsonProvider)
    moment = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    data = {"price": Decimal("250.00"), "when": moment, "nested": [1, "é", None, True],
            3: "int key", "big": 2**70}
    expected = json.loads(super(OrjsonProvider, provider).dumps(data))
    assert json.loads(provider.dumps(data)) == expected
    assert expected["when"] == "Thu, 26 Nov 2026 12:00:00 GMT"
    assert provider.loads('{"a": NaN}')["a"] != provider.loads('{"a": NaN}')["a"]
    assert provider.loads(b'{"a": [1, 2]}') == {"a": [1, 2]}
    with app.test_request_context():
        response = provider.response({"b": 1, "a": 2})
    assert response.get_data() == b'{"b":1,"a":2}\n'


def test_a_304_keeps_the_connection_open(live_server):
    """Waitress would close it after every 304 (shopapp/web/serving.py)."""
    connection = http.client.HTTPConnection("127.0.0.1", live_server.port, timeout=30)
    connection.request("GET", "/api/v1/products")
    first = connection.getresponse()
    first.read()
    etag = first.getheader("ETag")
    connection.request("GET", "/api/v1/products", headers={"If-None-Match": etag})
    revalidated = connection.getresponse()
    assert revalidated.read() == b""
    assert revalidated.status == 304
    assert not revalidated.will_close
    connection.request("GET", "/api/v1/products", headers={"If-None-Match": etag})
    assert connection.getresponse().status == 304
    connection.close()


def test_page_totals_are_remembered_for_a_bounded_number_of_searches():
    cache = catalog_cache.CatalogCache()
    for number in range(catalog_cache.MAX_TOTALS + 10):
        assert cache.total(1, f"search {number}", lambda number=number: number) == number
    assert len(cache._totals) <= catalog_cache.MAX_TOTALS
    assert cache.total(1, "search 3", lambda: "counted again") in (3, "counted again")
    assert cache.total(2, "search 3", lambda: "new version") == "new version"


def test_the_cookie_session_is_off(app):
    from flask import session

    with app.test_request_context("/"):
        app.preprocess_request()
        assert not session
        with pytest.raises(RuntimeError, match="stateless"):
            session["user"] = 1
