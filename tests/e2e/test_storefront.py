"""The storefront in a real browser against a real server: the five journeys of issue 3,
plus the page running under a strict Content-Security-Policy.

Every journey ends with ``shop.assert_clean(...)``: no uncaught exception, no console error
other than Chromium's log line for an API error the journey provoked on purpose, and no
request to any origin but the shop's.
"""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.support.browser import ADMIN_EMAIL, ADMIN_PASSWORD

from .flows import (
    admin_sections,
    alert,
    card,
    cart_link,
    flip_signature,
    horizontal_overflow,
    log_in,
    log_out,
    money,
    nav,
    status,
    unlabelled_controls,
)

pytestmark = [pytest.mark.browser, pytest.mark.live]


def test_new_shopper_registers_buys_and_finds_the_order_in_history(shop, api, screenshot_dir):
    page = shop.page
    products = api.products()
    shop.open("/")

    # The catalog shows every active product, readable at desktop and phone widths.
    expect(page.locator(".product-card")).to_have_count(len(products))
    expect(page.locator(".product-card img").first).to_have_js_property("complete", True)
    assert unlabelled_controls(page) == []
    page.screenshot(path=screenshot_dir / "catalog-desktop.png", full_page=True)
    page.set_viewport_size({"width": 375, "height": 812})
    assert horizontal_overflow(page) <= 0
    page.screenshot(path=screenshot_dir / "catalog-375.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    # Register (which signs in), then log out and back in through the login form.
    nav(page).get_by_role("link", name="Register").click()
    main = page.locator("#main")
    main.get_by_label("Full name (optional)").fill("Ada Racer")
    main.get_by_label("Email").fill("ada@example.com")
    main.get_by_label("Password").fill("pit-stop-42")
    main.get_by_role("button", name="Create account").click()
    expect(page.locator("#nav-user")).to_have_text("Ada Racer")
    log_out(page)
    log_in(page, "ada@example.com", "pit-stop-42")
    expect(page.get_by_role("heading", name="Helmets & racing gear")).to_be_visible()

    # Search narrows the grid; sorting by price orders it.
    page.get_by_role("searchbox", name="Search").fill("visor")
    visor_products = [p for p in products if "visor" in f"{p['name']} {p['description']}".lower()]
    assert len(visor_products) >= 2
    names = page.locator(".product-card .product-name")
    expect(names).to_have_text([p["name"] for p in visor_products])
    page.get_by_label("Sort by").select_option(label="Price (low to high)")
    by_price = sorted(visor_products, key=lambda p: (Decimal(p["price"]), p["name"].lower()))
    expect(names).to_have_text([p["name"] for p in by_price])

    # Two products into the cart.
    night = api.product_named("Endurance Iridium Night Visor")
    clear = api.product_named("Clear Anti-Fog Visor")
    for product in (night, clear):
        card(page, product["name"]).get_by_role("button", name="Add to cart").click()
        expect(status(page)).to_contain_text(f"Added 1 × {product['name']}")
    expect(page.locator("#cart-count")).to_have_text("2")

    # In the cart: raise one quantity, remove the other line; the subtotal follows.
    cart_link(page).click()
    lines = page.locator(".cart-line")
    expect(lines).to_have_count(2)
    subtotal = page.locator("[data-subtotal]")
    night_price, clear_price = Decimal(night["price"]), Decimal(clear["price"])
    expect(subtotal).to_have_text(money(night_price + clear_price))
    quantity = page.get_by_label(f"Quantity of {night['name']}")
    quantity.fill("3")
    quantity.press("Tab")
    expect(subtotal).to_have_text(money(3 * night_price + clear_price))
    expect(lines.filter(has_text=night["name"]).locator(".line-total")).to_have_text(
        money(3 * night_price)
    )
    page.get_by_role("button", name=f"Remove {clear['name']} from cart").click()
    expect(lines).to_have_count(1)
    expect(subtotal).to_have_text(money(3 * night_price))
    expect(page.locator("#cart-count")).to_have_text("3")
    assert unlabelled_controls(page) == []

    # Check out with an address; a double click still places exactly one order.
    address = "7 Pit Lane\nSilverstone NN12 8TN"
    page.get_by_label("Shipping address (optional)").fill(address)
    page.get_by_role("button", name="Place order").dblclick()
    expect(page.get_by_role("heading", name="Thank you for your order!")).to_be_visible()
    token = api.login("ada@example.com", "pit-stop-42")
    orders = api.call("GET", "/orders", token, expect=200).json()
    assert len(orders) == 1
    order = orders[0]
    assert Decimal(order["total_amount"]) == 3 * night_price
    assert order["shipping_address"] == address
    assert shop.api_calls("POST", "/orders") == 1
    expect(page.locator(".confirmation .order-total")).to_have_text(money(order["total_amount"]))
    expect(page.locator("#cart-count")).to_be_hidden()
    assert api.call("GET", "/cart", token, expect=200).json()["items"] == []
    cart_link(page).click()
    expect(page.get_by_text("Your cart is empty.")).to_be_visible()

    # Order history lists the order with its line, unit price and total.
    nav(page).get_by_role("link", name="Orders").click()
    history = page.locator(".order")
    expect(history).to_have_count(1)
    expect(history.get_by_role("heading")).to_have_text(f"Order #{order['id']}")
    row = history.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("th, td")).to_have_text(
        [night["name"], "3", money(night_price), money(3 * night_price)]
    )
    expect(history.locator(".order-total")).to_have_text(money(3 * night_price))
    expect(history.locator(".address")).to_have_text(address)

    shop.assert_clean()


def test_buying_more_than_the_stock_shows_the_api_message_and_changes_nothing(shop, api):
    page = shop.page
    email, password = "greedy@example.com", "secret123"
    token = api.register(email, password)
    drift = api.product_named("Drift Series Replica Helmet")
    stock = drift["inventory_count"]
    admin = api.admin_token()
    bag, hans = api.product_named("Padded Helmet Bag"), api.product_named("HANS Head Restraint")
    api.call("PUT", f"/products/{bag['id']}", admin, json={"inventory_count": 0}, expect=200)
    api.call("PUT", f"/products/{hans['id']}", admin, json={"inventory_count": 3}, expect=200)
    shop.open("/login")
    log_in(page, email, password)

    # The catalog says when stock is short, and a sold-out product can't be added.
    expect(card(page, "Padded Helmet Bag").get_by_role("button", name="Sold out")).to_be_disabled()
    expect(card(page, "HANS Head Restraint")).to_contain_text("Only 3 left")

    # The quantity picker is capped at the stock.
    page.get_by_role("link", name=drift["name"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(drift["name"])
    quantity = page.get_by_label("Quantity", exact=True)
    expect(quantity).to_have_attribute("max", str(stock))
    quantity.fill(str(stock + 5))
    page.get_by_role("button", name="Add to cart").click()
    expect(status(page)).to_contain_text(f"Added {stock} × {drift['name']}")
    expect(quantity).to_have_value(str(stock))
    expect(page.locator("#cart-count")).to_have_text(str(stock))

    # One more than the stock: the API says no, and the page shows exactly what it said.
    quantity.fill("1")
    with page.expect_response(lambda r: r.url.endswith("/api/v1/cart/items")) as refused:
        page.get_by_role("button", name="Add to cart").click()
    assert refused.value.status == 400
    detail = refused.value.json()["detail"]
    assert drift["name"] in detail
    expect(alert(page)).to_contain_text(detail)
    expect(page.locator("#cart-count")).to_have_text(str(stock))
    cart = api.call("GET", "/cart", token, expect=200).json()
    assert [(i["product"]["id"], i["quantity"]) for i in cart["items"]] == [(drift["id"], stock)]

    # The stock drops before checkout: the order is refused as a whole and nothing moves.
    api.call(
        "PUT", f"/products/{drift['id']}", admin, json={"inventory_count": stock - 3}, expect=200
    )
    cart_link(page).click()
    expect(page.locator(".cart-line")).to_have_count(1)
    with page.expect_response(lambda r: r.url.endswith("/api/v1/orders")) as refused:
        page.get_by_role("button", name="Place order").click()
    assert refused.value.status == 400
    detail = refused.value.json()["detail"]
    expect(alert(page)).to_contain_text(detail)
    expect(page.get_by_label(f"Quantity of {drift['name']}")).to_have_value(str(stock))
    expect(page.get_by_role("button", name="Place order")).to_be_enabled()
    assert api.call("GET", "/orders", token, expect=200).json() == []
    assert (
        api.call("GET", f"/products/{drift['id']}", expect=200).json()["inventory_count"]
        == stock - 3
    )
    cart = api.call("GET", "/cart", token, expect=200).json()
    assert [(i["product"]["id"], i["quantity"]) for i in cart["items"]] == [(drift["id"], stock)]

    nav(page).get_by_role("link", name="Orders").click()
    expect(page.get_by_text("No orders yet.")).to_be_visible()

    shop.assert_clean(allowed_api_statuses={400})


def test_admin_creates_and_edits_a_product_promotes_a_shopper_and_resets_the_store(shop, api):
    page = shop.page
    shopper = "future-admin@example.com"
    shopper_token = api.register(shopper, full_name="Future Admin")
    seed_names = [p["name"] for p in api.products()]
    shop.open("/login")
    log_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)

    nav(page).get_by_role("link", name="Admin").click()
    admin_sections(page).get_by_role("link", name="Products").click()
    expect(page.get_by_role("heading", name="Admin console")).to_be_visible()
    expect(page.locator("#app-version")).to_have_text(re.compile(r"^Version \S+"))

    # Create a product.
    form = page.locator("#product-form")
    form.get_by_label("Name").fill("Track Day Gloves")
    form.get_by_label("Price").fill("74.90")
    form.get_by_label("Stock").fill("4")
    form.get_by_label("Description").fill("Nomex-lined gloves with pre-curved fingers.")
    form.get_by_role("button", name="Create product").click()
    expect(status(page)).to_contain_text("Created “Track Day Gloves”")
    created = api.product_named("Track Day Gloves")
    assert (created["price"], created["inventory_count"], created["is_active"]) == (
        "74.90",
        4,
        True,
    )
    assert unlabelled_controls(page) == []

    # Edit its stock inline.
    row = page.locator(f"tr[data-product-id='{created['id']}']")
    row.get_by_role("spinbutton", name="Stock of Track Day Gloves").fill("12")
    row.get_by_role("button", name="Save price and stock of Track Day Gloves").click()
    expect(status(page)).to_contain_text("12 in stock")
    assert api.call("GET", f"/products/{created['id']}", expect=200).json()["inventory_count"] == 12

    # Edit it through the full form.
    row.get_by_role("button", name="Edit Track Day Gloves").click()
    expect(form.get_by_role("heading")).to_have_text("Edit “Track Day Gloves”")
    expect(form.get_by_label("Stock")).to_have_value("12")
    form.get_by_label("Price").fill("79.00")
    form.get_by_role("button", name="Save changes").click()
    expect(status(page)).to_contain_text("Saved “Track Day Gloves”")
    expect(row.get_by_role("textbox", name="Price of Track Day Gloves")).to_have_value("79.00")
    assert api.call("GET", f"/products/{created['id']}", expect=200).json()["price"] == "79.00"

    # Shoppers see it in the catalog, with the placeholder image.
    nav(page).get_by_role("link", name="Catalog").click()
    gloves = card(page, "Track Day Gloves")
    expect(gloves).to_contain_text("$79.00")
    expect(gloves).to_contain_text("12 in stock")
    expect(gloves.locator("img")).to_have_attribute("src", re.compile(r"placeholder\.svg$"))

    # Deactivated, it leaves the catalog but stays manageable in the console.
    nav(page).get_by_role("link", name="Admin").click()
    admin_sections(page).get_by_role("link", name="Products").click()
    row.get_by_role("button", name="Deactivate Track Day Gloves").click()
    expect(row.locator(".badge")).to_have_text("Inactive")
    assert "Track Day Gloves" not in [p["name"] for p in api.products()]
    nav(page).get_by_role("link", name="Catalog").click()
    expect(page.locator(".product-card")).to_have_count(len(seed_names))
    expect(card(page, "Track Day Gloves")).to_have_count(0)
    nav(page).get_by_role("link", name="Admin").click()
    admin_sections(page).get_by_role("link", name="Products").click()
    expect(row.locator(".badge")).to_have_text("Inactive")

    # Delete a product, after confirming.
    kit = api.product_named("Helmet Care Kit")
    kit_row = page.locator(f"tr[data-product-id='{kit['id']}']")
    kit_row.get_by_role("button", name="Delete Helmet Care Kit").click()
    kit_row.get_by_role("button", name="Yes, delete").click()
    expect(kit_row).to_have_count(0)
    expect(status(page)).to_contain_text("Deleted “Helmet Care Kit”")
    assert "Helmet Care Kit" not in [p["name"] for p in api.products()]

    # Promote the shopper, in the console's Users section.
    admin_sections(page).get_by_role("link", name="Users").click()
    expect(page).to_have_url(re.compile(r"#/admin/users$"))
    shopper_row = page.locator("tr", has_text=shopper)
    expect(shopper_row.locator(".badge")).to_have_text("Shopper")
    shopper_row.get_by_role("button", name=f"Make admin: {shopper}").click()
    expect(shopper_row.locator(".badge")).to_have_text("Admin")
    assert api.call("GET", "/users/me", shopper_token, expect=200).json()["is_admin"] is True

    # The API refuses to let an admin demote themself; the refusal is shown as it came.
    with page.expect_response(lambda r: "/api/v1/admin/users/" in r.url) as refused:
        page.get_by_role("button", name=f"Remove admin role from {ADMIN_EMAIL}").click()
    assert refused.value.status == 400
    expect(alert(page)).to_contain_text(refused.value.json()["detail"])

    # Reset the store, after a confirmation step.
    admin_sections(page).get_by_role("link", name="Reset store").click()
    page.get_by_role("button", name="Reset store…").click()
    with page.expect_response(lambda r: r.url.endswith("/api/v1/admin/reset")) as reset:
        page.get_by_role("button", name="Yes, reset the store").click()
    assert reset.value.status == 200
    expect(status(page)).to_contain_text(reset.value.json()["detail"])
    # The reset reseeds every account, so this session ends and the login form comes back.
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    assert [p["name"] for p in api.products()] == seed_names
    api.call("GET", f"/products/{created['id']}", api.admin_token(), expect=404)
    api.call("POST", "/auth/login", json={"email": shopper, "password": "secret123"}, expect=401)

    shop.assert_clean(allowed_api_statuses={400, 401})


def test_a_shopper_never_sees_the_admin_console_and_a_forged_one_gets_403s(shop, api):
    page = shop.page
    email, password = "curious@example.com", "secret123"
    token = api.register(email, password)
    forbidden = api.call("GET", "/admin/users", token, expect=403).json()["detail"]
    shop.open("/login")
    log_in(page, email, password)
    admin_link = nav(page).get_by_role("link", name="Admin")
    expect(admin_link).to_be_hidden()

    # Client-side flags don't make anyone an admin: only GET /users/me counts.
    page.evaluate(
        """() => {
          localStorage.setItem('shop.is_admin', 'true');
          localStorage.setItem('shop.user', JSON.stringify({ email: 'x', is_admin: true }));
        }"""
    )
    page.reload()
    page.wait_for_selector("body.app-ready")
    expect(nav(page).get_by_role("button", name="Log out")).to_be_visible()
    expect(admin_link).to_be_hidden()
    page.goto(shop.server.url + "/#/admin")
    expect(page.get_by_text("only for administrators")).to_be_visible()
    expect(page.locator(".admin-table")).to_have_count(0)
    assert shop.api_calls("GET", "/admin/users") == 0

    # Forge the view itself by running the console's code: the API answers 403, no data shows.
    page.evaluate(
        """async () => {
          const view = await import('/views/admin.js');
          const main = document.getElementById('main');
          main.replaceChildren();
          await view.render(main);
        }"""
    )
    expect(alert(page)).to_contain_text(forbidden)
    expect(page.get_by_text("You don't have access to the admin console.")).to_be_visible()
    expect(page.locator(".admin-table")).to_have_count(0)
    expect(page.locator("#main")).not_to_contain_text(ADMIN_EMAIL)

    # Its buttons are refused one by one as well.
    page.get_by_role("button", name="Dismiss message").click()
    expect(alert(page)).to_be_empty()
    form = page.locator("#product-form")
    form.get_by_label("Name").fill("Forged Product")
    form.get_by_label("Price").fill("1.00")
    with page.expect_response(lambda r: r.url.endswith("/api/v1/products")) as refused:
        form.get_by_role("button", name="Create product").click()
    assert refused.value.status == 403
    expect(alert(page)).to_contain_text(refused.value.json()["detail"])

    page.get_by_role("button", name="Reset store…").click()
    with page.expect_response(lambda r: r.url.endswith("/api/v1/admin/reset")) as refused:
        page.get_by_role("button", name="Yes, reset the store").click()
    assert refused.value.status == 403
    expect(alert(page)).to_contain_text(refused.value.json()["detail"])

    # Nothing changed on the server: no new product, no reset (the shopper's token still works).
    assert "Forged Product" not in [p["name"] for p in api.products()]
    assert api.call("GET", "/users/me", token, expect=200).json()["is_admin"] is False

    shop.assert_clean(allowed_api_statuses={403})


def test_logout_clears_the_session_and_a_rejected_token_does_too(shop, api):
    page = shop.page
    email, password = "leaving@example.com", "secret123"
    api.register(email, password)
    shop.open("/login")
    log_in(page, email, password)
    token_before_logout = page.evaluate("localStorage.getItem('shop.token')")
    assert token_before_logout

    with page.expect_response(lambda r: r.url.endswith("/auth/logout")) as logout_answer:
        log_out(page)
    assert logout_answer.value.status == 204
    expect(status(page)).to_contain_text("logged out")
    assert page.evaluate("localStorage.getItem('shop.token')") is None
    # The server revoked the token too: a copy of it no longer works.
    revoked = api.call("GET", "/users/me", token_before_logout, expect=401).json()
    assert "revoked" in revoked["detail"]
    expect(nav(page).get_by_role("link", name="Log in")).to_be_visible()
    expect(cart_link(page)).to_be_hidden()

    # Still logged out after a reload, and private pages send you to the login form.
    page.reload()
    page.wait_for_selector("body.app-ready")
    expect(nav(page).get_by_role("link", name="Log in")).to_be_visible()
    page.goto(shop.server.url + "/#/orders")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    assert shop.api_calls("GET", "/orders") == 0

    # Logging in from there returns to the page you wanted.
    log_in(page, email, password)
    expect(page.get_by_role("heading", name="Your orders")).to_be_visible()

    # A 401 that the refresh token cannot mend ends the session too: tamper with both tokens'
    # signatures and load a private page.
    tampered = page.evaluate("localStorage.getItem('shop.token')")
    tampered_refresh = flip_signature(page.evaluate("localStorage.getItem('shop.refresh')"))
    tampered = flip_signature(tampered)
    expected = api.call("GET", "/cart", tampered, expect=401).json()["detail"]
    api.call("POST", "/auth/refresh", tampered_refresh, expect=401)
    page.evaluate(
        """([access, refresh]) => {
          localStorage.setItem('shop.token', access);
          localStorage.setItem('shop.refresh', refresh);
        }""",
        [tampered, tampered_refresh],
    )
    cart_link(page).click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    expect(alert(page)).to_contain_text(expected)
    assert page.evaluate("localStorage.getItem('shop.token')") is None
    assert page.evaluate("localStorage.getItem('shop.refresh')") is None
    expect(nav(page).get_by_role("link", name="Log in")).to_be_visible()

    shop.assert_clean(allowed_api_statuses={401})


STRICT_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; font-src 'none'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def test_the_storefront_works_under_a_strict_content_security_policy(shop, api):
    page = shop.page

    def with_csp(route):
        response = route.fetch()
        route.fulfill(
            response=response, headers={**response.headers, "content-security-policy": STRICT_CSP}
        )

    page.route(shop.server.url + "/", with_csp)
    page.add_init_script(
        """window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation',
          (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));"""
    )
    shop.open("/")
    expect(page.locator(".product-card")).to_have_count(len(api.products()))
    # A function, not an expression: Playwright re-polls an expression with eval(), which
    # the strict policy blocks whenever the first poll is false.
    page.wait_for_function(
        "() => [...document.images].every((img) => img.complete && img.naturalWidth > 0)"
    )

    # Keyboard: the first Tab reaches the skip link, which moves focus to the content.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()

    # Every view an admin can reach renders with its styles and scripts under the policy.
    nav(page).get_by_role("link", name="Log in").click()
    log_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    card(page, "Helmet Care Kit").get_by_role("button", name="Add to cart").click()
    expect(page.locator("#cart-count")).to_have_text("1")
    for link, heading in [
        ("Cart", "Your cart"),
        ("Orders", "Your orders"),
        ("Admin", "Admin console"),
    ]:
        nav(page).get_by_role("link", name=re.compile(f"^{link}")).click()
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    # The console opens on the dashboard, whose vendored Chart.js draws under the policy too.
    expect(page.locator("#revenue-chart")).to_be_visible()
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.getElementById('revenue-chart'))"
    )
    header_background = page.evaluate(
        "getComputedStyle(document.querySelector('.site-header')).backgroundImage"
    )
    assert "gradient" in header_background  # the stylesheet applied

    assert page.evaluate("window.__cspViolations") == []
    shop.assert_clean()


def test_money_is_exact_and_the_api_base_can_be_overridden(shop, api):
    page = shop.page
    # A deployment may point the storefront at an explicit API base (here: trailing slash).
    page.add_init_script(f"window.API_BASE_URL = '{shop.server.api_url}/';")
    shop.open("/")
    expect(page.locator(".product-card")).to_have_count(len(api.products()))
    assert shop.api_calls("GET", "/products") == 1

    formatted = page.evaluate(
        """async () => {
          const m = await import('/money.js');
          return [
            m.formatMoney('250.00'),
            m.formatMoney('1234567.5'),
            m.formatCents(m.lineCents('0.10', 3)),
            m.formatCents(m.lineCents('19.99', 7)),
            m.formatCents(m.toCents('0.10') + m.toCents('0.20')),
          ];
        }"""
    )
    # With floats, 0.1 * 3 and 0.1 + 0.2 are 0.30000000000000004.
    assert formatted == ["$250.00", "$1,234,567.50", "$0.30", "$139.93", "$0.30"]
    shop.assert_clean()
