"""The shopper's own order page (#/orders/{id}) with its Cancel button, and a session that
outlives its access token by trading the refresh token for a new one."""

import time

import pytest
from playwright.sync_api import expect

from tests.support.browser import Api, ShopPage
from tests.support.live_server import LiveServer

from .flows import alert, log_in, nav, status

pytestmark = [pytest.mark.browser, pytest.mark.live]

ACCESS_TOKEN_SECONDS = 2


@pytest.fixture
def server(reset_module_server):
    return reset_module_server


def order_status(api, token, order):
    return api.call("GET", f"/orders/{order['id']}", token, expect=200).json()["status"]


def test_a_shopper_opens_an_order_from_the_history_and_cancels_it(shop, api, visor, kit):
    page = shop.page
    email, password = "changed-mind@example.com", "secret123"
    token = api.register(email, password)
    order = api.place_order(token, (visor, 2), address="1 Grid Row\nMonza")
    shipped = api.place_order(token, (kit, 1))
    admin = api.admin_token()
    api.move_order(admin, shipped, "paid")

    shop.open("/login")
    log_in(page, email, password)
    nav(page).get_by_role("link", name="Orders").click()
    page.get_by_role("link", name=f"Order #{order['id']}", exact=True).click()
    expect(page).to_have_url(f"{shop.server.url}/#/orders/{order['id']}")
    expect(page.get_by_role("heading", name=f"Order #{order['id']}", level=1)).to_be_visible()
    card = page.locator(f".order[data-order-id='{order['id']}']")
    expect(card.locator(".badge")).to_have_text("pending")
    expect(card.locator("tbody tr th")).to_have_text([visor["name"]])
    expect(card.locator(".address")).to_have_text("1 Grid Row\nMonza")

    # Cancelling asks first; keeping the order changes nothing.
    page.get_by_role("button", name="Cancel order").click()
    page.get_by_role("button", name="Keep the order").click()
    expect(page.get_by_role("button", name="Cancel order")).to_be_focused()
    assert order_status(api, token, order) == "pending"

    page.get_by_role("button", name="Cancel order").click()
    page.get_by_role("button", name="Yes, cancel the order").click()
    expect(status(page)).to_contain_text(f"Order #{order['id']} is cancelled")
    expect(card.locator(".badge")).to_have_text("cancelled")
    expect(page.get_by_role("button", name="Cancel order")).to_have_count(0)
    assert order_status(api, token, order) == "cancelled"
    assert api.product_named(visor["name"])["inventory_count"] == visor["inventory_count"]

    # A paid order has no Cancel button (only the shop may cancel it now); a stranger's
    # order id is simply not found.
    page.goto(f"{shop.server.url}/#/orders/{shipped['id']}")
    expect(page.get_by_role("heading", name=f"Order #{shipped['id']}", level=1)).to_be_visible()
    expect(page.locator(".order .badge")).to_have_text("paid")
    expect(page.get_by_role("button", name="Cancel order")).to_have_count(0)
    other = api.place_order(api.register("someone-else@example.com"), (visor, 1))
    page.goto(f"{shop.server.url}/#/orders/{other['id']}")
    expect(page.get_by_role("heading", name="Order not found")).to_be_visible()

    shop.assert_clean(allowed_api_statuses={404})


def test_the_session_outlives_the_access_token_and_ends_when_the_refresh_fails(browser, tmp_path):
    env = {"JWT_ACCESS_TOKEN_SECONDS": str(ACCESS_TOKEN_SECONDS)}
    with LiveServer(tmp_path / "short-tokens", env=env) as server:
        api = Api(server.api_url)
        email, password = "long-session@example.com", "secret123"
        api.register(email, password)
        login = api.call("POST", "/auth/login", json={"email": email, "password": password},
                         expect=200).json()
        assert login["expires_in"] == ACCESS_TOKEN_SECONDS

        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        shop = ShopPage(context.new_page(), server)
        page = shop.page
        shop.open("/login")
        log_in(page, email, password)
        first_token = page.evaluate("localStorage.getItem('shop.token')")

        # The access token expires; the next request is refused, refreshed once and retried.
        time.sleep(ACCESS_TOKEN_SECONDS + 1)
        api.call("GET", "/users/me", first_token, expect=401)
        nav(page).get_by_role("link", name="Orders").click()
        expect(page.get_by_text("No orders yet.")).to_be_visible()  # the list itself loaded
        expect(nav(page).get_by_role("button", name="Log out")).to_be_visible()
        assert shop.api_calls("POST", "/auth/refresh") == 1
        assert shop.api_calls("GET", "/orders") == 2  # refused, then retried
        renewed = page.evaluate("localStorage.getItem('shop.token')")
        assert renewed != first_token
        api.call("GET", "/users/me", renewed, expect=200)

        # Once the refresh token is revoked (as a logout elsewhere does), expiry ends the session.
        refresh_token = page.evaluate("localStorage.getItem('shop.refresh')")
        api.call("POST", "/auth/logout", api.login(email, password),
                 json={"refresh_token": refresh_token}, expect=204)
        time.sleep(ACCESS_TOKEN_SECONDS + 1)
        nav(page).get_by_role("link", name="Catalog").click()
        nav(page).get_by_role("link", name="Orders").click()
        expect(page.get_by_role("heading", name="Log in")).to_be_visible()
        expect(alert(page)).to_contain_text("Please log in again")
        assert shop.api_calls("POST", "/auth/refresh") == 2
        assert page.evaluate("localStorage.getItem('shop.refresh')") is None
        context.close()
        shop.assert_clean(allowed_api_statuses={401})
