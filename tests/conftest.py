"""Fixtures: an app per test database, a client, a CLI runner and bearer-token helpers.

Every test that takes ``app`` (or ``client``) runs on SQLite, and on PostgreSQL too when
SHOP_TEST_DATABASE_URL is set (``.ci/run`` sets it). A test that needs more than one app,
an app on an empty database or in a chosen instance folder makes it with ``app_factory``.
"""

import pytest
from flask_migrate import upgrade

from shopapp.extensions import db
from tests.support.accounts import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.support.apps import AppFactory, reseed
from tests.support.databases import (
    BACKENDS,
    POSTGRES_URL,
    scratch_postgres_database,
    wipe_postgres_schema,
)
from tests.support.live_server import LiveServer


@pytest.fixture(scope="session")
def database_urls(tmp_path_factory):
    """One migrated database per backend for the whole run (fresh at the start)."""
    urls = {"sqlite": f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"}
    if POSTGRES_URL:
        wipe_postgres_schema(POSTGRES_URL)
        urls["postgresql"] = POSTGRES_URL
    factory = AppFactory(tmp_path_factory.mktemp("instance"))
    for url in urls.values():
        with factory(url).app_context():
            upgrade()
    factory.dispose_all()
    return urls


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


@pytest.fixture
def app_factory(tmp_path):
    """``app_factory(database_url, instance_path=None, **config)``: a new app on the test
    config with overrides; every app it made is disposed of after the test."""
    factory = AppFactory(tmp_path)
    yield factory
    factory.dispose_all()


@pytest.fixture(scope="module")
def module_app_factory(tmp_path_factory):
    """``app_factory`` for module-scoped fixtures: its apps last until the module ends."""
    factory = AppFactory(tmp_path_factory.mktemp("apps"))
    yield factory
    factory.dispose_all()


@pytest.fixture
def app(request, backend, database_urls, app_factory):
    """A fresh, seeded shop on the parametrised database.

    Config overrides, as in flask-smorest's tests, come by indirect parametrisation:
    ``@pytest.mark.parametrize("app", [{"KEY": value}], indirect=True)``.
    """
    overrides = getattr(request, "param", None) or {}
    app = app_factory(database_urls[backend], **overrides)
    reseed(app)
    return app


@pytest.fixture
def empty_database_url(backend, tmp_path):
    """The URL of a database with no tables: a new SQLite file, or a new PostgreSQL
    database beside SHOP_TEST_DATABASE_URL's (dropped again afterwards)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    with scratch_postgres_database("empty") as url:
        yield url


@pytest.fixture
def unprepared_app(app_factory, empty_database_url):
    """An app on a database with no tables (not prepared: no migration run, no seed)."""
    app = app_factory(empty_database_url)
    yield app
    app_factory.dispose(app)  # before the empty database is dropped


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def session(app):
    """A database session inside an app context, for testing services directly."""
    with app.app_context():
        yield db.session


class AuthActions:
    """Register and log in through the API; hand out bearer headers (flaskr's AuthActions)."""

    def __init__(self, client):
        self.client = client
        self._count = 0

    def register(self, email=None, password="secret123", full_name=None):
        if email is None:
            self._count += 1
            email = f"shopper{self._count}@example.com"
        response = self.client.post(
            "/api/v1/auth/register",
            json={"email": email, "password": password, "full_name": full_name},
        )
        assert response.status_code == 201, response.json
        return response.json

    def token(self, email, password):
        response = self.client.post(
            "/api/v1/auth/login", json={"email": email, "password": password}
        )
        assert response.status_code == 200, response.json
        return response.json["access_token"]

    def headers(self, email, password="secret123"):
        return {"Authorization": f"Bearer {self.token(email, password)}"}

    def admin(self):
        return self.headers(ADMIN_EMAIL, ADMIN_PASSWORD)

    def new_shopper(self):
        """(user, headers) for a freshly registered shopper."""
        user = self.register()
        return user, self.headers(user["email"])


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def admin_headers(auth):
    return auth.admin()


@pytest.fixture
def shopper(auth):
    """(user, headers) of a registered shopper."""
    return auth.new_shopper()


@pytest.fixture
def shopper_headers(shopper):
    return shopper[1]


@pytest.fixture
def make_product(client, admin_headers):
    """Create a product through the API; keyword arguments override the defaults."""

    def make(**fields):
        body = {"name": "Test Helmet", "description": "For tests", "price": "100.00",
                "inventory_count": 10, **fields}
        response = client.post("/api/v1/products", json=body, headers=admin_headers)
        assert response.status_code == 201, response.json
        return response.json

    return make


@pytest.fixture
def live_database_url(backend, database_urls, app_factory):
    """The database for live servers: None on SQLite (each server makes its own file), or
    the shared PostgreSQL database put back to the seed (other tests use it too)."""
    if backend != "postgresql":
        return None
    app_factory.reseed_database(database_urls[backend])
    return database_urls[backend]


@pytest.fixture
def live_server(live_database_url, tmp_path):
    """A real waitress process on a free port, on the parametrised database, freshly reset."""
    env = {"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}  # fast set-up of many shoppers
    with LiveServer(tmp_path / "server", database_url=live_database_url, env=env) as server:
        yield server
