"""Fault tolerance against real waitress processes: a database that goes away and comes
back, a server killed mid-checkout, a reset racing with checkouts, SQLite busy retries."""

import os
import signal
import threading
import time
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests
from sqlalchemy.exc import OperationalError

from tests.support.consistency import cheapest_product, consistency_problems, order_ids
from tests.support.databases import POSTGRES_URL
from tests.support.live_server import LiveServer
from tests.support.races import race, shopper
from tests.support.tcp_proxy import TcpProxy

pytestmark = pytest.mark.live


def via_proxy(url, port):
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)
    host = f"127.0.0.1:{port}"
    return urlunsplit(parts._replace(netloc=f"{netloc[0]}@{host}" if len(netloc) == 2 else host))


@pytest.mark.parametrize("backend", ["postgresql"] if POSTGRES_URL else [])
def test_database_outage_gives_quick_503s_and_the_shop_recovers(backend, database_urls,
                                                                app_factory, tmp_path):
    target = urlsplit(POSTGRES_URL)
    proxy = TcpProxy(target.hostname, target.port or 5432).start()
    url = via_proxy(database_urls[backend], proxy.listen_port)
    app_factory.reseed_database(url)
    with LiveServer(tmp_path / "server", database_url=url,
                    env={"DB_POOL_TIMEOUT": "2"}) as server:
        admin = server.admin_headers()
        assert requests.get(server.api_url + "/users/me", headers=admin,
                            timeout=10).status_code == 200
        proxy.stop()
        for path in ("/api/v1/users/me", "/api/v1/cart", "/healthz"):
            started = time.monotonic()
            response = requests.get(server.url + path, headers=admin, timeout=30)
            elapsed = time.monotonic() - started
            assert response.status_code == 503, response.text
            assert response.json()["detail"]
            assert "Traceback" not in response.text
            assert elapsed < 10  # bounded by the connect / pool timeout, not hanging
        proxy = TcpProxy(target.hostname, target.port or 5432, proxy.listen_port).start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if requests.get(server.url + "/healthz", timeout=10).status_code == 200:
                break
            time.sleep(0.2)
        assert requests.get(server.url + "/healthz", timeout=10).json()["database"] == "ok"
        assert requests.get(server.api_url + "/users/me", headers=admin,
                            timeout=10).status_code == 200
    proxy.stop()


def test_sigkill_during_checkouts_loses_no_acknowledged_order(live_database_url, app_factory,
                                                              tmp_path):
    url = live_database_url or f"sqlite:///{tmp_path / 'kill.db'}"
    env = {"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}
    server = LiveServer(tmp_path / "server", database_url=url, env=env).start()
    api = server.api_url
    shoppers = [shopper(api, f"k{i}@example.com") for i in range(8)]
    product_id = cheapest_product(api)
    acknowledged, stop = [], threading.Event()

    def shop(session):
        while not stop.is_set():
            try:
                session.post(f"{api}/cart/items", json={"product_id": product_id, "quantity": 1},
                             timeout=10)
                response = session.post(f"{api}/orders", json={}, timeout=10)
            except requests.RequestException:
                return  # the server died under us
            if response.status_code == 201:
                acknowledged.append(response.json()["id"])

    threads = [threading.Thread(target=shop, args=(s,)) for s in shoppers]
    for thread in threads:
        thread.start()
    time.sleep(2)
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait()
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    server.stop()
    assert len(acknowledged) > 5, "the load produced too few orders to prove anything"

    with LiveServer(tmp_path / "restarted", database_url=url, env=env):
        pass  # restarts cleanly on the same database (migrations and seed are idempotent)
    app = app_factory(url)
    assert set(acknowledged) <= order_ids(app)
    assert consistency_problems(app) == []


def test_reset_racing_with_checkouts_leaves_a_consistent_database(live_server, app_factory):
    api = live_server.api_url
    shoppers = [shopper(api, f"r{i}@example.com") for i in range(6)]
    product_id = cheapest_product(api)
    for session in shoppers:
        session.post(f"{api}/cart/items", json={"product_id": product_id, "quantity": 1},
                     timeout=10)
    admin = live_server.admin_headers()

    def act(index):
        if index == 0:
            return requests.post(f"{api}/admin/reset", headers=admin, timeout=60)
        return shoppers[index - 1].post(f"{api}/orders", json={}, timeout=60)

    responses = race(7, act)
    assert all(r.status_code < 500 for r in responses), \
        [(r.status_code, r.text[:200]) for r in responses]
    assert responses[0].status_code == 200
    assert consistency_problems(app_factory(live_server.database_url)) == []


def test_a_busy_database_is_retried_not_reported(client, shopper_headers, monkeypatch):
    from shopapp.cart import service

    real_add = service.add_item
    calls = []

    def busy_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("INSERT ...", {}, Exception("database is locked"))
        return real_add(*args, **kwargs)

    monkeypatch.setattr(service, "add_item", busy_once)
    product_id = client.get("/api/v1/products").json[0]["id"]
    response = client.post("/api/v1/cart/items", headers=shopper_headers,
                           json={"product_id": product_id, "quantity": 1})
    assert response.status_code == 201
    assert len(calls) == 2


def test_a_database_that_stays_busy_gets_503_without_internals(client, shopper_headers,
                                                               monkeypatch):
    from shopapp.cart import service

    def always_busy(*args, **kwargs):
        raise OperationalError("INSERT ...", {}, Exception("database is locked"))

    monkeypatch.setattr(service, "add_item", always_busy)
    response = client.post("/api/v1/cart/items", headers=shopper_headers,
                           json={"product_id": 1, "quantity": 1})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert "locked" not in response.json["detail"]


def test_a_user_deleted_mid_request_gets_409_not_500(client, shopper, monkeypatch):
    """What a store reset under a request looks like from inside it: a loaded row vanishes."""
    from sqlalchemy import delete as sql_delete

    from shopapp.models import CartItem, User
    from shopapp.orders import service

    _, headers = shopper

    def vanish(session, user_id, **kwargs):
        user = session.get(User, user_id)
        session.execute(sql_delete(CartItem).where(CartItem.user_id == user_id))
        # As another process would: the session does not know the row went away.
        session.execute(sql_delete(User).where(User.id == user_id)
                        .execution_options(synchronize_session=False))
        session.commit()  # expires the loaded user, whose row is now gone
        return user.email  # refreshing it raises ObjectDeletedError

    monkeypatch.setattr(service, "place_order", vanish)
    response = client.post("/api/v1/orders", headers=headers, json={})
    assert response.status_code == 409, response.json
    assert "concurrent change" in response.json["detail"]
