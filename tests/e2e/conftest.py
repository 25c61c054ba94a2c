"""Fixtures for the browser tests.

* ``server``: a real waitress server (``python -m shopapp serve``) on a free port with a fresh,
  seeded SQLite database, one per test so every journey starts from the demo store.
* ``module_server``: one such server for a whole test module; a module that overrides
  ``server`` with ``reset_module_server`` starts every test from the demo store by resetting
  it (quicker than a new server per test).
* ``browser``: one headless Chromium (Debian's ``/usr/bin/chromium``) for the session.
* ``shop``: a fresh browser context and page on the server, wrapped in a ``ShopPage`` that
  records console errors, uncaught exceptions and every URL the page requested.
* ``api``: a tiny ``requests`` client for arranging data and checking what the server holds;
  ``visor`` and ``kit``: two seeded products as it lists them when the test starts.

``ShopPage`` and ``Api`` themselves, and the admin's credentials, are in
tests/support/browser.py.
"""

import os
from pathlib import Path

import pytest

from tests.support.browser import Api, ShopPage
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


@pytest.fixture
def api(server):
    return Api(server.api_url)


@pytest.fixture
def visor(api):
    """A seeded product the order journeys buy, as the API lists it before the test."""
    return api.product_named("Clear Anti-Fog Visor")


@pytest.fixture
def kit(api):
    """Another seeded product the order journeys buy, as the API lists it before the test."""
    return api.product_named("Helmet Care Kit")


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
