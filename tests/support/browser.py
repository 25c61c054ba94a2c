"""What the browser journeys (tests/e2e/) drive: the shop page in Chromium, and a small
client of the public v1 API that arranges data and checks what the server holds."""

import os
import re

import requests

from tests.support import accounts

# A journey's server starts with this process's environment (LiveServer), so an admin set
# there is the one it seeds.
ADMIN_EMAIL = os.environ.get("ADMIN_EMAIL", accounts.ADMIN_EMAIL)
ADMIN_PASSWORD = os.environ.get("ADMIN_PASSWORD", accounts.ADMIN_PASSWORD)

# How Chromium reports an HTTP error answer to fetch() on the console.
FAILED_RESOURCE = re.compile(
    r"^Failed to load resource: the server responded with a status of (\d{3})"
)


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

    def add_to_cart(self, token, product, quantity):
        self.call("POST", "/cart/items", token,
                  json={"product_id": product["id"], "quantity": quantity}, expect=201)

    def place_order(self, token, *lines, address=None):
        """Put each (product, quantity) line in the cart, then check out: the order placed."""
        for product, quantity in lines:
            self.add_to_cart(token, product, quantity)
        body = {"shipping_address": address} if address else {}
        return self.call("POST", "/orders", token, json=body, expect=201).json()

    def move_order(self, admin_token, order, status):
        """PATCH /admin/orders/<id>: the admin moves the order to ``status``."""
        return self.call("PATCH", f"/admin/orders/{order['id']}", admin_token,
                         json={"status": status}, expect=200).json()


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
