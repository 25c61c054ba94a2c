"""Engine settings per database: SQLite pragmas, pool behaviour, the default file path."""

import os
import time
from functools import wraps

from sqlalchemy import event
from sqlalchemy.exc import OperationalError

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
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", set_sqlite_pragmas)
        event.listen(engine, "before_cursor_execute", take_turn_before_writes)


# Errors after which re-running the whole transaction is safe: the database rolled it back.
RETRYABLE_MESSAGES = (
    "database is locked",  # SQLite: busy timeout ran out
    "could not serialize access",  # PostgreSQL serialization failure
    "deadlock detected",  # PostgreSQL deadlock victim
)
TRANSACTION_ATTEMPTS = 3


def is_retryable(error):
    return any(message in str(error) for message in RETRYABLE_MESSAGES)


def retry_transaction(func, session_getter, attempts=TRANSACTION_ATTEMPTS):
    """Run ``func`` again (after a rollback) when the database asks for a retry.

    Only for views whose work is one transaction: a failure rolled all of it back.
    """

    @wraps(func)
    def wrapper(*args, **kwargs):
        for attempt in range(1, attempts + 1):
            try:
                return func(*args, **kwargs)
            except OperationalError as error:
                if attempt == attempts or not is_retryable(error):
                    raise
                session_getter().rollback()
                time.sleep(0.05 * attempt)

    return wrapper
