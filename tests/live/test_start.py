"""Starting real servers on an empty database: every way of serving is ready or says so.

`shop serve` and `waitress-serve wsgi:app` bring the schema to the migration head before
they answer; with MIGRATE_ON_START=false every request answers 503 until `shop init-db`
has run; processes started at the same moment prepare the database once between them.
"""

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import create_engine, text

from tests.support.live_server import PROJECT_ROOT, LiveServer

pytestmark = pytest.mark.live

WAITRESS_SERVE = (sys.executable, "-m", "waitress", "--listen=127.0.0.1:{port}", "wsgi:app")
# Replicas share their signing keys (README, "Running several processes").
SHARED_KEYS = {"SECRET_KEY": "start-test-secret", "JWT_SECRET_KEY": "start-test-jwt-" + "k" * 32,
               "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}


def admin_token(server):
    response = requests.post(server.api_url + "/auth/login", timeout=30,
                             json={"email": "admin@example.com", "password": "admin123"})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def catalog_and_admins(server):
    products = requests.get(server.api_url + "/products", timeout=30)
    assert products.status_code == 200
    users = requests.get(server.api_url + "/admin/users", headers=admin_token(server), timeout=30)
    assert users.status_code == 200
    return len(products.json()), [u["email"] for u in users.json() if u["is_admin"]]


def test_waitress_serve_wsgi_prepares_an_empty_database(empty_database_url, tmp_path):
    with LiveServer(tmp_path, database_url=empty_database_url, env=SHARED_KEYS,
                    command=WAITRESS_SERVE) as server:
        assert requests.get(server.url + "/healthz", timeout=10).json()["schema"] == "ok"
        assert catalog_and_admins(server) == (12, ["admin@example.com"])


def test_without_migrate_on_start_requests_are_503_until_init_db(empty_database_url,
                                                                  tmp_path):
    env = {**SHARED_KEYS, "MIGRATE_ON_START": "false"}
    with LiveServer(tmp_path, database_url=empty_database_url, env=env,
                    command=WAITRESS_SERVE, ready_status=503) as server:
        health = requests.get(server.url + "/healthz", timeout=10)
        assert health.json()["schema"] == "missing"
        for method, path in (("GET", "/api/v1/products"), ("POST", "/api/v1/auth/login"),
                             ("GET", "/")):
            response = requests.request(method, server.url + path, timeout=10,
                                        json={"email": "a@example.com", "password": "x"})
            assert response.status_code == 503, (path, response.text)
            assert "shop init-db" in response.json()["detail"]
            assert "Retry-After" not in response.headers

        init = subprocess.run([sys.executable, "-m", "shopapp", "init-db"], cwd=PROJECT_ROOT,
                              env=server.env, capture_output=True, text=True, timeout=120)
        assert init.returncode == 0, init.stderr
        # The running server notices by itself: no restart.
        assert requests.get(server.url + "/healthz", timeout=10).status_code == 200
        assert catalog_and_admins(server) == (12, ["admin@example.com"])


def test_processes_started_together_prepare_the_database_once(empty_database_url,
                                                               tmp_path):
    servers = [LiveServer(tmp_path / f"replica{n}", database_url=empty_database_url,
                          env=SHARED_KEYS) for n in range(3)]
    try:
        with ThreadPoolExecutor(len(servers)) as pool:  # as an orchestrator starts them
            list(pool.map(lambda server: server.start(timeout=120), servers))
        for server in servers:
            assert server.process.poll() is None, server.log()
            assert catalog_and_admins(server) == (12, ["admin@example.com"])
    finally:
        for server in servers:
            server.stop()


def test_preparations_released_at_the_same_moment_migrate_and_seed_once(
        empty_database_url, tmp_path):
    go = tmp_path / "go"
    env = {**os.environ, **SHARED_KEYS, "DATABASE_URL": empty_database_url,
           "SHOP_INSTANCE_PATH": str(tmp_path / "instance")}
    script = str(PROJECT_ROOT / "tests" / "support" / "prepare_on_signal.py")
    racers = [subprocess.Popen([sys.executable, script, str(go)], cwd=PROJECT_ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
              for _ in range(6)]
    time.sleep(3)  # every racer has imported the shop and is waiting for the signal
    go.touch()
    outputs = [racer.communicate(timeout=120)[0] for racer in racers]
    assert [racer.returncode for racer in racers] == [0] * len(racers), outputs
    engine = create_engine(empty_database_url)
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM products")) == 12
        assert connection.scalar(text("SELECT count(*) FROM users")) == 1
        assert connection.scalar(text("SELECT count(*) FROM alembic_version")) == 1
    engine.dispose()


def test_banner_gives_a_browsable_address_and_the_demo_admin(tmp_path):
    with LiveServer(tmp_path / "demo") as server:
        log = server.log()
    assert f"http://localhost:{server.port}/" in log
    assert "0.0.0.0" not in log
    assert "Demo admin: admin@example.com / admin123" in log
    with LiveServer(tmp_path / "real", env={"ADMIN_PASSWORD": "a-real-password"}) as server:
        log = server.log()
    assert f"http://localhost:{server.port}/" in log
    assert "Demo admin" not in log
