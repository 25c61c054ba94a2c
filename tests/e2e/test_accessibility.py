"""Accessibility in the browser: axe-core finds no serious or critical problem in any view
at desktop and phone widths, and a shopper can buy with the keyboard alone."""

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import ADMIN_EMAIL, ADMIN_PASSWORD, Api, ShopPage

from .flows import log_in, serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.live]

WIDTHS = {"desktop": (1280, 900), "phone": (375, 812)}


SHOPPER = ("axe-shopper@example.com", "secret123")
ADMIN = (ADMIN_EMAIL, ADMIN_PASSWORD)


@pytest.fixture
def server(module_server):
    return module_server


@pytest.fixture(scope="module")
def views(module_server):
    """Who signs in, and the (address, what shows once it is ready) of each view they reach:
    a guest, a shopper with an order and a full cart, and the admin."""
    api = Api(module_server.api_url)
    token = api.register(*SHOPPER)
    kit = api.product_named("Helmet Care Kit")
    api.add_to_cart(token, kit, 1)
    order = api.call("POST", "/orders", token, json={"shipping_address": "1 Pit Lane"},
                     expect=201).json()
    api.add_to_cart(token, kit, 2)
    return [
        (None, [("/login", "form.auth-form"), ("/register", "form.auth-form")]),
        (SHOPPER, [
            ("/", ".product-card"),
            (f"/product/{kit['id']}", ".product-detail"),
            ("/cart", ".cart-line"),
            ("/orders", ".order"),
            (f"/orders/{order['id']}", ".order"),
        ]),
        (ADMIN, [
            ("/admin/dashboard", "#revenue-chart"),
            ("/admin/orders", ".admin-table"),
            (f"/admin/orders/{order['id']}", ".admin-order"),
            ("/admin/products", ".admin-table"),
            (f"/admin/products/{kit['id']}", "#stock-adjust"),
            ("/admin/users", ".admin-table"),
            ("/admin/reset", ".danger-zone"),
        ]),
    ]


def findings_on(shop, route, ready):
    shop.page.goto(f"{shop.server.url}/#{route}")
    expect(shop.page.locator(ready).first).to_be_visible()
    expect(shop.page.locator("#main")).not_to_have_attribute("aria-busy", "true")
    return [f"{route}: {finding}" for finding in serious_accessibility_violations(shop.page)]


@pytest.mark.parametrize("width", WIDTHS)
def test_no_view_has_serious_accessibility_violations(browser, server, views, width):
    findings = []
    for account, routes in views:
        width_px, height_px = WIDTHS[width]
        context = browser.new_context(viewport={"width": width_px, "height": height_px})
        context.set_default_timeout(10_000)
        shop = ShopPage(context.new_page(), server)
        shop.open("/login")
        if account:
            log_in(shop.page, *account)
        for route, ready in routes:
            findings += findings_on(shop, route, ready)
        shop.assert_clean()
        context.close()
    assert findings == [], "\n".join(findings)


def focus_ring(page):
    """How the focused element shows focus: its outline, or a box shadow standing in for one."""
    return page.evaluate(
        """() => {
          const style = getComputedStyle(document.activeElement);
          return {
            outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
            shadow: style.boxShadow !== 'none',
          };
        }"""
    )


def tab_to(page, target, limit=60):
    """Press Tab until `target` has focus, checking every stop shows it has focus. Past the
    last control focus leaves the page (the body has it) before coming round again."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"):
            continue
        ring = focus_ring(page)
        assert ring["outline"] or ring["shadow"], page.evaluate(
            "document.activeElement.outerHTML.slice(0, 120)")
        if target.evaluate("(el) => el === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}")


def test_a_shopper_registers_buys_and_sees_the_order_with_the_keyboard_alone(shop, api):
    page = shop.page
    shop.open("/")
    tab_to(page, page.get_by_role("link", name="Register"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Create an account")).to_be_focused()

    main = page.locator("#main")
    tab_to(page, main.get_by_label("Email"))
    page.keyboard.type("keys-only@example.com")
    tab_to(page, main.get_by_label("Password"))
    page.keyboard.type("no-mouse-42")
    tab_to(page, main.get_by_role("button", name="Create account"))
    page.keyboard.press("Enter")
    expect(page.locator("#nav-user")).to_have_text("keys-only@example.com")

    kit = api.product_named("Helmet Care Kit")
    card = page.locator(".product-card").filter(has=page.get_by_role("heading", name=kit["name"]))
    tab_to(page, card.get_by_role("button", name="Add to cart"))
    page.keyboard.press("Enter")
    expect(page.locator("#cart-count")).to_have_text("1")

    tab_to(page, page.get_by_role("link", name=re.compile(r"^Cart")))
    page.keyboard.press("Enter")
    expect(page.locator(".cart-line")).to_have_count(1)
    tab_to(page, page.get_by_label("Shipping address (optional)"))
    page.keyboard.type("9 Keyboard Way")
    tab_to(page, page.get_by_role("button", name="Place order"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Thank you for your order!")).to_be_focused()

    tab_to(page, page.get_by_role("link", name="See all orders"))
    page.keyboard.press("Enter")
    order = page.locator(".order")
    expect(order).to_have_count(1)
    tab_to(page, order.get_by_role("link", name=re.compile(r"^Order #")))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile(r"^Order #\d+$"), level=1)).to_be_focused()
    expect(page.locator(".order .address")).to_have_text("9 Keyboard Way")
    expect(page.locator(".order tbody th")).to_have_text([kit["name"]])
    shop.assert_clean()
