"""Engine settings per database: SQLite pragmas, pool behaviour, the default file path."""

import os

from sqlalchemy import event


def default_database_uri(instance_path):
    return "sqlite:///" + os.path.join(instance_path, "shop.db")


def engine_options(uri, config):
    if uri.startswith("sqlite"):
        # The driver's timeout is SQLite's busy timeout: writers queue instead of failing.
        return {"connect_args": {"timeout": config["SQLITE_BUSY_TIMEOUT_MS"] / 1000}}
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
