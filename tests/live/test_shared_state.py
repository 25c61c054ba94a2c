"""Several shop processes agree through Redis: token revocations and rate-limit counters."""

import os

import pytest
import redis
import requests

from tests.support.live_server import LiveServer

pytestmark = pytest.mark.live
# Flushed by these tests: parallel runs on one machine each set their own database.
REDIS_URL = os.environ.get("SHOP_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def two_servers(tmp_path, live_database_url):
    redis.Redis.from_url(REDIS_URL).flushdb()
    env = {"REDIS_URL": REDIS_URL, "RATELIMIT_ENABLED": "true",
           "LOGIN_FAILURE_LIMIT": "3 per minute", "SECRET_KEY": "shared-secret-for-test",
           "JWT_SECRET_KEY": "shared-jwt-secret-for-this-test-0123456789"}
    with LiveServer(tmp_path / "a", database_url=live_database_url, env=env) as first, \
            LiveServer(tmp_path / "b", database_url=first.database_url, env=env) as second:
        yield first, second


def login(server, password):
    return requests.post(server.api_url + "/auth/login", timeout=30,
                         json={"email": "admin@example.com", "password": password})


def test_a_logout_on_one_process_is_seen_by_the_other(two_servers):
    first, second = two_servers
    token = login(first, "admin123").json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert requests.get(second.api_url + "/users/me", headers=headers, timeout=30).ok
    assert requests.post(first.api_url + "/auth/logout", headers=headers,
                         timeout=30).status_code == 204
    assert redis.Redis.from_url(REDIS_URL).keys("shop:revoked:*")
    assert requests.get(second.api_url + "/users/me", headers=headers,
                        timeout=30).status_code == 401


def test_failed_logins_are_counted_across_processes(two_servers):
    first, second = two_servers
    assert login(first, "wrong").status_code == 401
    assert login(second, "wrong").status_code == 401
    assert login(first, "wrong").status_code == 401
    blocked = login(second, "admin123")
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
