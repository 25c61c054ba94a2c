"""PostgreSQL connection rules tested on the engine directly: the checkout ping, and the
id-order row locking that keeps racing checkouts from deadlocking."""

import threading
import time

import psycopg
import pytest
from sqlalchemy import select, text

from shopapp.extensions import db
from shopapp.models import Product
from shopapp.orders.service import sell
from tests.support.databases import POSTGRES_URL
from tests.support.races import race

POSTGRESQL_ONLY = pytest.mark.parametrize("backend", ["postgresql"] if POSTGRES_URL else [])


def wait_until_gone(connection, pids, seconds=10):
    """pg_terminate_backend only asks; a restart, too, is over before the next request."""
    deadline = time.monotonic() + seconds
    while connection.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)",
                             (list(pids),)).fetchone()[0]:
        assert time.monotonic() < deadline, "the server did not end the sessions"
        time.sleep(0.05)


@POSTGRESQL_ONLY
def test_pooled_connections_killed_by_the_server_are_replaced_on_checkout(app):
    """A database restart kills every pooled connection; the next request must not fail."""
    with app.app_context():
        engine = db.engine
        held = [engine.connect() for _ in range(engine.pool.checkedin() + 1)]
        pids = {c.execute(text("SELECT pg_backend_pid()")).scalar_one() for c in held}
        for connection in held:
            connection.close()  # back to the pool, every one of them soon dead
        with psycopg.connect(POSTGRES_URL.replace("+psycopg", ""), autocommit=True) as killer:
            for pid in pids:
                killer.execute("SELECT pg_terminate_backend(%s)", (pid,))
            wait_until_gone(killer, pids)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT pg_backend_pid()")).scalar_one() not in pids


def deadlocks(connection):
    return connection.execute(text(
        "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()"
    )).scalar_one()


@POSTGRESQL_ONLY
def test_checkouts_racing_over_the_same_products_in_any_order_never_deadlock(app):
    """Each sale holds its row locks until its commit; because every sale takes them in id
    order, two sales over the same products wait for each other instead of deadlocking."""
    with app.app_context():
        engine = db.engine
        ids = db.session.scalars(select(Product.id).order_by(Product.id).limit(4)).all()
        for product in db.session.scalars(select(Product).where(Product.id.in_(ids))):
            product.inventory_count = 1000
        db.session.commit()
        with engine.connect() as connection:
            before = deadlocks(connection)
        orders = [ids, ids[::-1], ids[1:] + ids[:1], ids[2:] + ids[:2]] * 3
        held = threading.Barrier(len(orders), timeout=1)

        def one_sale(index):
            with engine.begin() as connection:
                wanted = {product_id: 1 for product_id in orders[index]}
                sold = sell(connection, wanted)
                try:  # hold the locks until every sale has started (most are blocked)
                    held.wait()
                except threading.BrokenBarrierError:
                    pass
                return len(sold)

        assert race(len(orders), one_sale) == [len(ids)] * len(orders)
        with engine.connect() as connection:
            assert deadlocks(connection) == before
            counts = connection.execute(
                select(Product.inventory_count).where(Product.id.in_(ids))).scalars().all()
        assert counts == [1000 - len(orders)] * len(ids)
