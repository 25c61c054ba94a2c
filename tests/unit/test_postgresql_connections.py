"""PostgreSQL connection rules tested on the engine directly: the checkout ping, the reset
gate travelling with each transaction's BEGIN, and the id-order row locking that keeps
racing checkouts from deadlocking."""

import threading
import time

import psycopg
import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import DBAPIError

from shopapp.database.reset_gate import GATE_KEY, begin_alone
from shopapp.extensions import db
from shopapp.models import CartItem, Product, User
from shopapp.orders.service import checkout_in_one_statement, new_order_values
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


GATE_MODE = text("SELECT mode FROM pg_locks WHERE locktype = 'advisory' AND objid = :key "
                 "AND pid = pg_backend_pid()")


def gate_mode(connection):
    return connection.execute(GATE_MODE, {"key": GATE_KEY}).scalar()


@POSTGRESQL_ONLY
def test_a_transaction_begins_with_the_gate_in_the_same_round_trip(app):
    """psycopg sends no BEGIN of its own: the first statement begins the transaction and
    takes the gate, and the driver was idle (no transaction) until it was sent."""
    with app.app_context():
        engine = db.engine
        sent = []

        def record(connection, _cursor, statement, *_):
            status = connection.connection.driver_connection.info.transaction_status
            sent.append((statement, status))

        event.listen(engine, "before_cursor_execute", record)
        try:
            with engine.connect() as connection:
                assert gate_mode(connection) == "ShareLock"
        finally:
            event.remove(engine, "before_cursor_execute", record)
        first, status_before = sent[0]
        assert first == f"BEGIN; SELECT pg_advisory_xact_lock_shared({GATE_KEY})"
        assert status_before == psycopg.pq.TransactionStatus.IDLE


@POSTGRESQL_ONLY
def test_transactions_that_begin_with_the_gate_are_still_all_or_nothing(app):
    """The driver connection is in autocommit mode, so the BEGIN sent with the gate is what
    makes the statements one transaction: a rollback, or a failed statement, undoes all."""
    with app.app_context():
        engine = db.engine
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE gate_probe (n integer)"))
        probe, count = text("INSERT INTO gate_probe VALUES (1)"), text(
            "SELECT count(*) FROM gate_probe")
        try:
            with engine.connect() as connection:
                connection.execute(probe)
                connection.rollback()
            with engine.connect() as connection:
                connection.execute(probe)
                with pytest.raises(DBAPIError):
                    connection.execute(text("SELECT 1 / 0"))
                connection.rollback()
            with engine.connect() as connection:
                assert connection.execute(count).scalar_one() == 0
                connection.execute(probe)
                connection.commit()
            with engine.connect() as connection:
                assert connection.execute(count).scalar_one() == 1
        finally:
            with engine.begin() as connection:
                connection.execute(text("DROP TABLE gate_probe"))


@POSTGRESQL_ONLY
def test_the_gate_is_taken_whatever_the_isolation_level_and_skipped_in_autocommit(app):
    with app.app_context():
        engine = db.engine
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as c:
            assert c.execute(text("SHOW transaction_isolation")).scalar() == "repeatable read"
            assert gate_mode(c) == "ShareLock"
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            assert gate_mode(c) is None
        with engine.connect() as c:  # the pooled connections are back to the default
            assert c.execute(text("SHOW transaction_isolation")).scalar() == "read committed"
            assert c.execute(text("SELECT now() = statement_timestamp()")).scalar() is False
            assert gate_mode(c) == "ShareLock"
        begin_alone(db.session)  # the reset's transaction
        assert gate_mode(db.session.connection()) == "ExclusiveLock"
        db.session.rollback()


def deadlocks(connection):
    return connection.execute(text(
        "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()"
    )).scalar_one()


@POSTGRESQL_ONLY
def test_checkouts_racing_over_the_same_products_in_any_order_never_deadlock(app):
    """Each checkout holds its row locks until its commit; because every checkout takes
    them in id order (CHECKOUT's ``locked``), two over the same products wait for each
    other instead of deadlocking, whatever order their carts were filled in."""
    with app.app_context():
        engine = db.engine
        ids = db.session.scalars(select(Product.id).order_by(Product.id).limit(4)).all()
        for product in db.session.scalars(select(Product).where(Product.id.in_(ids))):
            product.inventory_count = 1000
        fill_orders = [ids, ids[::-1], ids[1:] + ids[:1], ids[2:] + ids[:2]] * 3
        shoppers = [User(email=f"racer{index}@example.com", password_hash="-")
                    for index in range(len(fill_orders))]
        db.session.add_all(shoppers)
        db.session.flush()
        for shopper, fill_order in zip(shoppers, fill_orders, strict=True):
            db.session.add_all(CartItem(user_id=shopper.id, product_id=product_id, quantity=1)
                               for product_id in fill_order)
            db.session.flush()  # the cart's rows in this order
        shopper_ids = [shopper.id for shopper in shoppers]
        db.session.commit()
        with engine.connect() as connection:
            before = deadlocks(connection)
        held = threading.Barrier(len(shopper_ids), timeout=1)

        def one_checkout(index):
            with engine.begin() as connection:
                checkout = checkout_in_one_statement(
                    connection, new_order_values(shopper_ids[index]))
                try:  # hold the locks until every checkout has started (most are blocked)
                    held.wait()
                except threading.BrokenBarrierError:
                    pass
                return len(checkout.sold), checkout.order_id is not None

        assert race(len(shopper_ids), one_checkout) == [(len(ids), True)] * len(shopper_ids)
        with engine.connect() as connection:
            assert deadlocks(connection) == before
            counts = connection.execute(
                select(Product.inventory_count).where(Product.id.in_(ids))).scalars().all()
        assert counts == [1000 - len(shopper_ids)] * len(ids)
