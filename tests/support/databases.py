"""The test databases: which backends run (SQLite always, PostgreSQL when
SHOP_TEST_DATABASE_URL is set), and scratch PostgreSQL databases beside the shared one.

The fixtures on top of these (``database_urls``, ``backend``, ``empty_database_url``) are
in tests/conftest.py.
"""

import os
from contextlib import contextmanager

from sqlalchemy import create_engine, make_url, text

POSTGRES_URL = os.environ.get("SHOP_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])


def wipe_postgres_schema(url):
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@contextmanager
def scratch_postgres_database(suffix):
    """A new, empty PostgreSQL database named after SHOP_TEST_DATABASE_URL's plus
    ``suffix``; yields its URL and drops it again afterwards."""
    base = make_url(os.environ["SHOP_TEST_DATABASE_URL"])
    name = f"{base.database}_{suffix}"
    server = create_engine(base, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()
