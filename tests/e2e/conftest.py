"""Fixtures for the browser tests.

* ``server``: a real waitress server (``python -m shopapp serve``) on a free port with a fresh,
  seeded SQLite database, one per test so every journey starts from the demo store.
* ``module_server``: one such server for a whole test module; a module that overrides
  ``server`` with ``reset_module_server`` starts every test from the demo store by resetting
  it (quicker than a new server per test).
* ``browser``: one headless Chromium (Debian's ``/usr/bin/chromium``) for the session.
* ``shop``: a fresh browser context and page on the server, wrapped in a ``ShopPage`` that
  records console errors, uncaught exceptions and every URL the page requested.
* ``api``: a tiny ``requests`` client for arranging data and checking what the server holds.
"""

import os
import re
from pathlib import Path

import pytest
import requests

from tests.support.live_server import PROJECT_ROOT, LiveServer
from tests.support.system_tools import unavailable

CHROMIUM = os.environ.get("SHOP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT_DIR = (
    Path(os.environ.get("SHOP_TEST_OUTPUT", PROJECT_ROOT / "test-output")) / "screenshots"
)
ADMIN_EMAIL = os.environ.get("ADMIN_EMAIL", "admin@example.com")
ADMIN_PASSWORD = os.environ.get("ADMIN_PASSWORD", "admin123")

# How Chromium reports an HTTP error answer to fetch() on the console.
FAILED_RESOURCE = re.compile(
    r"^Failed to load resource: the server responded with a status of (\d{3})"
)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed: pip install playwright")
    if not Path(CHROMIUM).exists():
        unavailable(f"{CHROMIUM} is missing: apt-get install -y chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def server(tmp_path):
    with LiveServer(tmp_path / "server") as live:
        yield live


@pytest.fixture(scope="module")
def module_server(tmp_path_factory):
    with LiveServer(tmp_path_factory.mktemp("server")) as live:
        yield live


@pytest.fixture
def reset_module_server(module_server):
    module_server.reset_store()
    return module_server


class Api:
    """Arrange and check server state through the public v1 API."""

    def __init__(self, base):
        self.base = base

    def call(self, method, path, token=None, expect=None, **kwargs):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = requests.request(method, self.base + path, headers=headers, timeout=10, **kwargs)
        if expect is not None:
            assert response.status_code == expect, (
                method,
                path,
                response.status_code,
                response.text,
            )
        return response

    def login(self, email, password):
        return self.call(
            "POST", "/auth/login", json={"email": email, "password": password}, expect=200
        ).json()["access_token"]

    def admin_token(self):
        return self.login(ADMIN_EMAIL, ADMIN_PASSWORD)

    def register(self, email, password="secret123", full_name=None):
        body = {"email": email, "password": password}
        if full_name:
            body["full_name"] = full_name
        self.call("POST", "/auth/register", json=body, expect=201)
        return self.login(email, password)

    def products(self):
        return self.call("GET", "/products", expect=200).json()

    def product_named(self, name):
        return next(product for product in self.products() if product["name"] == name)


@pytest.fixture
def api(server):
    return Api(server.api_url)


class ShopPage:
    """A page on the shop plus what it did: console errors, page errors, requested URLs."""

    def __init__(self, page, server):
        self.page = page
        self.server = server
        self.console_errors = []
        self.page_errors = []
        self.requested = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("request", lambda request: self.requested.append((request.method, request.url)))

    def _on_console(self, message):
        if message.type == "error":
            self.console_errors.append((message.text, message.location.get("url", "")))

    def open(self, route="/"):
        self.page.goto(self.server.url + "/#" + route)
        # app.js marks the body once the session is known and the first view is drawn.
        self.page.wait_for_selector("body.app-ready")

    def api_calls(self, method, path):
        """How many times the page called METHOD /api/v1<path>."""
        url = self.server.api_url + path
        return sum(1 for verb, requested in self.requested if verb == method and requested == url)

    def assert_clean(self, allowed_api_statuses=()):
        """No uncaught exceptions; no console errors except the browser's own log line for an
        API error answer this journey provoked on purpose; no request to any other origin."""
        assert not self.page_errors, f"uncaught exceptions: {self.page_errors}"
        unexpected = []
        for text, url in self.console_errors:
            failed = FAILED_RESOURCE.match(text)
            expected = (
                failed
                and int(failed.group(1)) in allowed_api_statuses
                and url.startswith(self.server.api_url + "/")
            )
            if not expected:
                unexpected.append((text, url))
        assert not unexpected, f"console errors: {unexpected}"

        assert self.requested, "the page made no requests at all; is the watcher attached?"
        origin = self.server.url + "/"
        foreign = [
            url for _, url in self.requested if not url.startswith((origin, "data:", "blob:"))
        ]
        assert not foreign, f"requests to other origins: {foreign}"


@pytest.fixture
def shop(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield ShopPage(page, server)
    context.close()


@pytest.fixture
def screenshot_dir():
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR
