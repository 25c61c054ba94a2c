"""Engine settings per database: SQLite pragmas, pool behaviour, the default file path."""

import os

from sqlalchemy import event

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
        "pool_pre_ping": True,  # recover by itself after the database restarts
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


def configure_engine(engine):
    install_reset_gate(engine)  # PostgreSQL only: see reset_gate.py
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", set_sqlite_pragmas)
        event.listen(engine, "before_cursor_execute", take_turn_before_writes)
