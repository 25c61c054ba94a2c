"""A reset on one process while the others serve reads and checkouts (issue 12).

Real waitress processes on one database (three on PostgreSQL, two on one SQLite file):
shoppers browse and check out on every process while an admin resets the store through
one of them, again and again. Every reset answers 200, no process answers a 5xx (a request
may wait for the reset, never be refused), and the database is consistent afterwards.
"""

import threading
import time
from collections import Counter

import pytest
import requests
from sqlalchemy import create_engine, text

from tests.support.live_server import LiveServer

pytestmark = pytest.mark.live

SHARED_KEYS = {"SECRET_KEY": "reset-test-secret", "JWT_SECRET_KEY": "reset-test-jwt-" + "k" * 32,
               "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}
RESETS = 5
SHOPPERS_PER_PROCESS = 2
TIMEOUT = 60  # a request may wait for a reset; it must not be refused


class Traffic:
    """Statuses seen by the load, by process, plus any request that got no answer."""

    def __init__(self):
        self.statuses = Counter()
        self.failures = []
        self.lock = threading.Lock()

    def call(self, session, method, url, **kwargs):
        try:
            response = session.request(method, url, timeout=TIMEOUT, **kwargs)
        except requests.RequestException as error:
            with self.lock:
                self.failures.append(f"{method} {url}: {error!r}")
            return None
        with self.lock:
            self.statuses[(method, url.rsplit("/api/v1", 1)[-1], response.status_code)] += 1
        return response

    def server_errors(self):
        return {key: count for key, count in self.statuses.items() if key[2] >= 500}

    def count(self, method, path, status):
        return self.statuses[(method, path, status)]


def shop_like_a_shopper(server, name, traffic, stop):
    """Register, then browse and check out until ``stop``; a reset deletes the account,
    so a 401 starts over with a new one."""
    api = server.api_url
    for attempt in range(10**6):
        if stop.is_set():
            return
        session = requests.Session()
        email = f"{name}-{attempt}@example.com"
        credentials = {"email": email, "password": "secret123"}
        if not traffic.call(session, "POST", f"{api}/auth/register", json=credentials):
            continue
        login = traffic.call(session, "POST", f"{api}/auth/login", json=credentials)
        if login is None or login.status_code != 200:
            continue
        session.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
        while not stop.is_set():
            products = traffic.call(session, "GET", f"{api}/products")
            traffic.call(session, "GET", f"{api}/products?sort=price&page=1&page_size=5")
            if products is None or products.status_code != 200:
                break
            in_stock = [p["id"] for p in products.json() if p["inventory_count"] > 0]
            added = traffic.call(session, "POST", f"{api}/cart/items",
                                 json={"product_id": in_stock[0], "quantity": 1})
            if added is None or added.status_code == 401:
                break
            order = traffic.call(session, "POST", f"{api}/orders", json={})
            if order is None or order.status_code == 401:
                break


def admin_headers(server):
    login = requests.post(server.api_url + "/auth/login", timeout=TIMEOUT,
                          json={"email": "admin@example.com", "password": "admin123"})
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


def reset_repeatedly(server, traffic):
    """Reset ``RESETS`` times while ``traffic`` runs; the statuses of the resets."""
    statuses = []
    for _ in range(RESETS):
        time.sleep(0.5)  # let the shoppers fill carts and place orders in between
        before = sum(traffic.statuses.values())
        reset = requests.post(server.api_url + "/admin/reset", headers=admin_headers(server),
                              timeout=TIMEOUT)
        statuses.append((reset.status_code, reset.text[:200]))
        assert sum(traffic.statuses.values()) > before  # the load ran during this reset
    return statuses


def inconsistencies(database_url):
    """Rows that break the shop's invariants: stock that the ledger does not explain, an
    order without lines, a line without its stock movement, or a second catalog."""
    engine = create_engine(database_url)
    with engine.connect() as connection:
        found = {
            "stock not matching its ledger": connection.execute(text(
                "SELECT p.id, p.inventory_count, coalesce(sum(m.delta), 0) FROM products p "
                "LEFT JOIN stock_movements m ON m.product_id = p.id "
                "GROUP BY p.id, p.inventory_count "
                "HAVING p.inventory_count <> coalesce(sum(m.delta), 0)")).all(),
            "negative stock": connection.execute(text(
                "SELECT id FROM products WHERE inventory_count < 0")).all(),
            "orders without lines": connection.execute(text(
                "SELECT o.id FROM orders o WHERE NOT EXISTS "
                "(SELECT 1 FROM order_items i WHERE i.order_id = o.id)")).all(),
            "lines without their stock movement": connection.execute(text(
                "SELECT i.id FROM order_items i WHERE NOT EXISTS "
                "(SELECT 1 FROM stock_movements m WHERE m.order_id = i.order_id "
                "AND m.product_id = i.product_id AND m.delta = -i.quantity)")).all(),
        }
        products = connection.scalar(text("SELECT count(*) FROM products"))
        admins = connection.scalar(text("SELECT count(*) FROM users WHERE is_admin"))
    engine.dispose()
    return {name: rows for name, rows in found.items() if rows}, products, admins


@pytest.fixture
def processes(tmp_path, backend, live_database_url):
    """Three processes on the test PostgreSQL database, or two on one SQLite file."""
    count = 3 if backend == "postgresql" else 2
    first = LiveServer(tmp_path / "p0", database_url=live_database_url, env=SHARED_KEYS).start()
    servers = [first]
    try:
        for number in range(1, count):
            servers.append(LiveServer(tmp_path / f"p{number}", database_url=first.database_url,
                                      env=SHARED_KEYS).start())
        yield servers
    finally:
        for server in servers:
            server.stop()


def test_a_reset_under_load_answers_200_and_no_process_answers_5xx(processes):
    traffic, stop = Traffic(), threading.Event()
    shoppers = [
        threading.Thread(target=shop_like_a_shopper, args=(server, f"p{n}s{s}", traffic, stop))
        for n, server in enumerate(processes) for s in range(SHOPPERS_PER_PROCESS)
    ]
    for thread in shoppers:
        thread.start()
    try:
        reset_statuses = reset_repeatedly(processes[0], traffic)
    finally:
        stop.set()
        for thread in shoppers:
            thread.join(timeout=TIMEOUT * 2)

    assert reset_statuses == [(200, reset_statuses[0][1])] * RESETS
    assert traffic.failures == []
    assert traffic.server_errors() == {}
    # The load did what it claims: browsing and checkouts succeeded on the way.
    assert traffic.count("GET", "/products", 200) > RESETS
    assert traffic.count("POST", "/orders", 201) > RESETS
    broken, products, admins = inconsistencies(processes[0].database_url)
    assert broken == {}
    assert (products, admins) == (12, 1)
    for server in processes:
        assert server.process.poll() is None, server.log()
        assert "deadlock detected" not in server.log()
