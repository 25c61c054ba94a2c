"""Take the README's screenshot of the admin dashboard (docs/dashboard.png).

Starts the shop on a fresh seeded SQLite database, places a month of orders through the API
(some paid, shipped or cancelled), spreads their dates over the last 30 days, and
photographs the dashboard in headless Chromium (``SHOP_CHROMIUM``, default
/usr/bin/chromium). Needs the test extra (Playwright): ``make install-dev``, then, from the
project's root,

    .venv/bin/python -m tests.e2e.dashboard_screenshot [--output docs/dashboard.png]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

from tests.support.live_server import PROJECT_ROOT, LiveServer

ADMIN = ("admin@example.com", "admin123")
SHOPPERS = 6
ORDERS = 40


def call(server, method, path, token=None, **kwargs):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = requests.request(method, server.api_url + path, headers=headers, timeout=30,
                                **kwargs)
    response.raise_for_status()
    return response.json() if response.content else None


def login(server, email, password):
    return call(server, "POST", "/auth/login", json={"email": email, "password": password})[
        "access_token"]


def place_orders(server, rng):
    products = [p for p in call(server, "GET", "/products") if p["inventory_count"] > 20]
    tokens = []
    for number in range(SHOPPERS):
        email = f"racer{number}@example.com"
        call(server, "POST", "/auth/register", json={"email": email, "password": "secret123"})
        tokens.append(login(server, email, "secret123"))
    admin = login(server, *ADMIN)
    orders = []
    for _ in range(ORDERS):
        token = rng.choice(tokens)
        for product in rng.sample(products, rng.randint(1, 2)):
            call(server, "POST", "/cart/items", token,
                 json={"product_id": product["id"], "quantity": rng.randint(1, 3)})
        orders.append(call(server, "POST", "/orders", token, json={}))
    for order in orders:
        fate = rng.random()
        moves = (["paid", "shipped"] if fate < 0.5 else ["paid"] if fate < 0.8
                 else ["cancelled"] if fate < 0.88 else [])
        for status in moves:
            call(server, "PATCH", f"/admin/orders/{order['id']}", admin, json={"status": status})
    # Two products run low, so the dashboard has something to restock.
    for product, left in zip(products[-2:], (0, 3), strict=True):
        call(server, "POST", f"/admin/products/{product['id']}/stock", admin,
             json={"delta": left - current_stock(server, product), "reason": "stock take"})
    return orders


def current_stock(server, product):
    return call(server, "GET", f"/products/{product['id']}")["inventory_count"]


def spread_over_the_month(database_url, orders, rng):
    """Give the orders dates over the last 30 days (they were all placed just now)."""
    os.environ["DATABASE_URL"] = database_url
    from shopapp import create_app
    from shopapp.extensions import db
    from shopapp.models import Order

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SEED_ON_START": False,
                      "MIGRATE_ON_START": False})
    now = datetime.now(UTC)
    with app.app_context():
        for order in orders:
            row = db.session.get(Order, order["id"])
            row.created_at = now - timedelta(days=rng.randint(0, 29), hours=rng.randint(0, 10))
        db.session.commit()


def photograph(server, output):
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("SHOP_CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium,
                                             args=["--headless", "--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(server.url + "/#/login")
        page.wait_for_selector("body.app-ready")
        page.locator("#main").get_by_label("Email").fill(ADMIN[0])
        page.locator("#main").get_by_label("Password").fill(ADMIN[1])
        page.locator("#main").get_by_role("button", name="Log in").click()
        page.wait_for_selector("#nav-admin:not([hidden])")
        page.goto(server.url + "/#/admin/dashboard")
        page.wait_for_function(
            "() => window.Chart && Chart.getChart(document.getElementById('revenue-chart'))")
        page.screenshot(path=str(output), full_page=True)
        browser.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=PROJECT_ROOT / "docs" / "dashboard.png")
    parser.add_argument("--seed", type=int, default=14, help="random seed for the orders")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as workdir, LiveServer(workdir) as server:
        orders = place_orders(server, rng)
        spread_over_the_month(server.database_url, orders, rng)
        photograph(server, args.output)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
