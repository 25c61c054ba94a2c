"""Fixtures: an app per test database, a client, a CLI runner and bearer-token helpers.

Every test that takes ``app`` (or ``client``) runs on SQLite, and on PostgreSQL too when
SHOP_TEST_DATABASE_URL is set (``.ci/run`` sets it).
"""

import os

import pytest
from sqlalchemy import create_engine, text

from shopapp import create_app
from shopapp.extensions import db
from shopapp.seed import empty_all_tables, seed
from tests.support.accounts import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.support.live_server import LiveServer

POSTGRES_URL = os.environ.get("SHOP_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])


def wipe_postgres_schema(url):
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_urls(tmp_path_factory):
    """One migrated database per backend for the whole run (fresh at the start)."""
    urls = {"sqlite": f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"}
    if POSTGRES_URL:
        wipe_postgres_schema(POSTGRES_URL)
        urls["postgresql"] = POSTGRES_URL
    for url in urls.values():
        app = make_app(url, tmp_path_factory.mktemp("instance"))
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            db.engine.dispose()
    return urls


def make_app(url, instance_path, **overrides):
    return create_app(
        {
            "ENV_NAME": "testing",
            "INSTANCE_PATH": str(instance_path),
            "SQLALCHEMY_DATABASE_URI": url,
            "ADMIN_EMAIL": ADMIN_EMAIL,
            "ADMIN_PASSWORD": ADMIN_PASSWORD,
            **overrides,
        }
    )


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


def reseed(app):
    with app.app_context():
        empty_all_tables(db.session)
        seed(db.session, ADMIN_EMAIL, ADMIN_PASSWORD)


def dispose(app):
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def reseed_database(url, instance_path):
    """Put a database that other tests share back to the seed, before servers use it."""
    app = make_app(url, instance_path)
    reseed(app)
    dispose(app)


@pytest.fixture
def app(request, backend, database_urls, tmp_path):
    """A fresh, seeded shop on the parametrised database.

    Config overrides, as in flask-smorest's tests, come by indirect parametrisation:
    ``@pytest.mark.parametrize("app", [{"KEY": value}], indirect=True)``.
    """
    overrides = getattr(request, "param", None) or {}
    app = make_app(database_urls[backend], tmp_path / "instance", **overrides)
    reseed(app)
    yield app
    dispose(app)


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
def live_server(backend, database_urls, tmp_path):
    """A real waitress process on a free port, on the parametrised database, freshly reset."""
    url = None
    if backend == "postgresql":
        url = database_urls[backend]
        shared = make_app(url, tmp_path / "instance")
        reseed(shared)
        dispose(shared)
    env = {"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}  # fast set-up of many shoppers
    with LiveServer(tmp_path / "server", database_url=url, env=env) as server:
        yield server
