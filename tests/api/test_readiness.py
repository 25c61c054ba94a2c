"""An app on a database whose schema is not at the migration head answers 503, never 500.

Every request (but /healthz, which reports it) gets 503 JSON whose detail says to run
`shop init-db`; /healthz says whether the database or the schema is what is not ready.
"""

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from shopapp.extensions import db
from shopapp.readiness import prepare_database

REQUESTS = [
    ("GET", "/api/v1/products", None),
    ("GET", "/api/v1/products/1", None),
    ("POST", "/api/v1/auth/login", {"email": "admin@example.com", "password": "admin123"}),
    ("POST", "/api/v1/auth/register", {"email": "new@example.com", "password": "secret123"}),
    ("GET", "/api/v1/cart", None),
    ("GET", "/api/v1/system/info", None),
    ("GET", "/", None),
    ("GET", "/openapi.json", None),
]


def assert_refused_with_init_hint(response):
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.is_json
    assert "shop init-db" in response.json["detail"]
    assert response.json["status"] == 503


@pytest.mark.parametrize(("method", "path", "body"), REQUESTS)
def test_every_request_is_503_with_what_to_run_until_migrated(unprepared_app, method, path,
                                                               body):
    response = unprepared_app.test_client().open(path, method=method, json=body)
    assert_refused_with_init_hint(response)
    assert "Retry-After" not in response.headers  # retrying alone never helps here


def test_healthz_says_the_schema_is_missing_then_ok_once_prepared(unprepared_app):
    client = unprepared_app.test_client()
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json["database"] == "ok"
    assert health.json["schema"] == "missing"
    assert "shop init-db" in health.json["detail"]

    with unprepared_app.app_context():
        prepare_database(seed_demo=True)
    assert client.get("/healthz").json == {"status": "ok", "database": "ok", "schema": "ok"}
    products = client.get("/api/v1/products")
    assert products.status_code == 200 and len(products.json) == 12
    login = client.post("/api/v1/auth/login",
                        json={"email": "admin@example.com", "password": "admin123"})
    assert login.status_code == 200


def test_an_outdated_schema_is_named_with_its_revision(unprepared_app):
    with unprepared_app.app_context():
        upgrade(directory=unprepared_app.extensions["migrate"].directory, revision="0001")
    client = unprepared_app.test_client()
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json["schema"] == "outdated"
    assert "0001" in health.json["detail"]
    assert_refused_with_init_hint(client.get("/api/v1/products"))


def test_a_table_dropped_under_a_running_app_is_a_503_not_a_500(unprepared_app):
    client = unprepared_app.test_client()
    with unprepared_app.app_context():
        prepare_database(seed_demo=True)
    assert client.get("/api/v1/products").status_code == 200
    with unprepared_app.app_context():
        cascade = " CASCADE" if db.engine.dialect.name == "postgresql" else ""
        db.session.execute(text(f"DROP TABLE catalog_version{cascade}"))
        db.session.commit()
    assert_refused_with_init_hint(client.get("/api/v1/products"))


def test_preparing_twice_changes_nothing(unprepared_app):
    with unprepared_app.app_context():
        prepare_database(seed_demo=True)
        prepare_database(seed_demo=True)
        assert db.session.scalar(text("SELECT count(*) FROM products")) == 12
        assert db.session.scalar(text("SELECT count(*) FROM users")) == 1
