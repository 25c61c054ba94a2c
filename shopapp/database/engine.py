"""Engine settings per database: SQLite pragmas, pool behaviour, the default file path."""

import os
import select

from sqlalchemy import event
from sqlalchemy.exc import InvalidatePoolError

from .reset_gate import install_reset_gate
from .sqlite_writes import connection_factory, take_turn_before_writes


def default_database_uri(instance_path):
    return "sqlite:///" + os.path.join(instance_path, "shop.db")


def engine_options(uri, config):
    if uri.startswith("sqlite"):
        # The driver's timeout is SQLite's busy timeout: writers queue instead of failing
        # (inside this process on a lock, see sqlite_writes.py).
        timeout = config["SQLITE_BUSY_TIMEOUT_MS"] / 1000
        return {"connect_args": {"timeout": timeout, "factory": connection_factory(timeout)}}
    return {
        # No pool_pre_ping: drop_closed_connections below does its job with no round trip.
        "pool_timeout": config["DB_POOL_TIMEOUT"],
        "pool_size": 10,
        "max_overflow": 10,
        "connect_args": {"connect_timeout": config["DB_POOL_TIMEOUT"]},
    }


def set_sqlite_pragmas(dbapi_connection, _record):
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def drop_closed_connections(dbapi_connection, _record, _proxy):
    """Pool ``checkout`` listener: never hand out a PostgreSQL connection the server closed.

    A server that restarts, or ends a session, first sends the client a FATAL message and
    closes the socket; an idle connection is otherwise silent. So a socket with something to
    read at checkout is dead, and asking the kernel (``select`` with no wait) tells without
    a round trip to the server. SQLAlchemy's ``pool_pre_ping`` sends a query instead: one
    round trip per request, with a switch to the server process and back, which on this
    shop's hot paths cost more CPU than the query itself. ``InvalidatePoolError`` is the
    pool's documented signal (the pre-ping raises it too): it discards every connection
    made before now and checks out a fresh one, so the shop recovers by itself.
    """
    readable, _, _ = select.select([dbapi_connection.fileno()], [], [], 0)
    if readable:
        raise InvalidatePoolError("the database closed this connection")


def configure_engine(engine):
    install_reset_gate(engine)  # PostgreSQL only: see reset_gate.py
    if engine.dialect.name == "postgresql":
        event.listen(engine, "checkout", drop_closed_connections)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", set_sqlite_pragmas)
        event.listen(engine, "before_cursor_execute", take_turn_before_writes)
