"""SQLite writers of one process take turns on a lock (shopapp/database/sqlite_writes.py): the
next writer starts when the last one commits or rolls back, never half-way through."""

import sqlite3
import threading

import pytest
from sqlalchemy import create_engine, text

from shopapp.database.engine import configure_engine, engine_options
from shopapp.database.sqlite_writes import connection_factory, is_write

CONFIG = {"SQLITE_BUSY_TIMEOUT_MS": 15000, "DB_POOL_TIMEOUT": 5}


@pytest.fixture
def engine(tmp_path):
    url = f"sqlite:///{tmp_path / 'turns.db'}"
    options = engine_options(url, CONFIG)
    # SQLite's own busy timeout off: a writer that met the database locked would fail at
    # once, so a writer that succeeds after waiting has waited for its turn.
    options["connect_args"]["timeout"] = 0
    engine = create_engine(url, **options)
    configure_engine(engine)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE counter (n INTEGER)"))
        connection.execute(text("INSERT INTO counter VALUES (0)"))
    yield engine
    engine.dispose()


def test_only_inserts_updates_and_deletes_take_a_turn():
    assert is_write("INSERT INTO t VALUES (1)") and is_write("\n  update t set n = 1")
    assert is_write("DELETE FROM t RETURNING id") and is_write("REPLACE INTO t VALUES (1)")
    assert not is_write("SELECT 1") and not is_write("PRAGMA journal_mode=WAL")


def test_a_second_writer_waits_for_the_first_to_commit(engine):
    first = engine.connect()
    first.execute(text("UPDATE counter SET n = n + 1"))  # holds the turn until commit
    second_wrote = threading.Event()

    def second_writer():
        with engine.begin() as second:
            second.execute(text("UPDATE counter SET n = n * 10"))
        second_wrote.set()

    thread = threading.Thread(target=second_writer)
    thread.start()
    assert not second_wrote.wait(0.3)  # still waiting for its turn, not failing
    first.commit()
    first.close()
    thread.join(10)
    assert second_wrote.is_set()
    with engine.connect() as reader:
        assert reader.execute(text("SELECT n FROM counter")).scalar() == 10  # (0+1)*10


@pytest.mark.parametrize("ending", ["commit", "rollback", "close"])
def test_every_way_a_transaction_ends_gives_the_turn_back(engine, ending):
    connection = engine.connect()
    connection.execute(text("UPDATE counter SET n = n + 1"))
    dbapi_connection = connection.connection.dbapi_connection
    assert dbapi_connection.holds_write_lock
    getattr(connection, ending)()
    assert not dbapi_connection.holds_write_lock
    assert dbapi_connection.write_lock.acquire(blocking=False)
    dbapi_connection.write_lock.release()
    connection.close()


def test_reads_do_not_wait_for_a_writer(engine):
    writer = engine.connect()
    writer.execute(text("UPDATE counter SET n = 5"))
    with engine.connect() as reader:
        assert reader.execute(text("SELECT n FROM counter")).scalar() == 0  # WAL snapshot
    writer.rollback()
    writer.close()


def test_a_writer_that_never_gets_its_turn_fails_like_a_busy_database(tmp_path):
    factory = connection_factory(lock_timeout=0.05)
    holder = sqlite3.connect(tmp_path / "busy.db", factory=factory)
    waiter = sqlite3.connect(tmp_path / "busy.db", factory=factory)
    holder.take_write_turn()
    with pytest.raises(sqlite3.OperationalError, match="database is locked"):
        waiter.take_write_turn()
    holder.rollback()
    waiter.take_write_turn()
    waiter.rollback()
    holder.close()
    waiter.close()


def test_each_engine_has_its_own_turns():
    assert connection_factory(1).write_lock is not connection_factory(1).write_lock
