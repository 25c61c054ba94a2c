"""A database with nothing in it, on each test backend, for start-up and readiness tests.

Import the fixture into a test module (``from tests.support.databases import
empty_database_url``); it follows the ``backend`` parameter of tests/conftest.py.
"""

import os
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, make_url, text


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


@pytest.fixture
def empty_database_url(backend, tmp_path):
    """The URL of a database with no tables: a new SQLite file, or a new PostgreSQL
    database beside SHOP_TEST_DATABASE_URL's (dropped again afterwards)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    with scratch_postgres_database("empty") as url:
        yield url
