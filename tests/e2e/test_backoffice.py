"""The admin console's back office in a real browser: sections with their own addresses,
the order lifecycle, the stock ledger, inactive products, the CSV export and the dashboard.
One server for the module, reset before each test."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from .flows import admin_sections, alert, log_in, nav, status

pytestmark = [pytest.mark.browser, pytest.mark.live]


@pytest.fixture
def server(reset_module_server):
    return reset_module_server


@pytest.fixture
def admin_page(shop):
    shop.open("/login")
    log_in(shop.page, ADMIN_EMAIL, ADMIN_PASSWORD)
    return shop


def test_every_section_has_its_own_address(admin_page):
    page = admin_page.page
    for slug, heading in [("products", "Products"), ("users", "Users"), ("reset", "Reset store")]:
        page.goto(f"{admin_page.server.url}/#/admin/{slug}")
        expect(page.get_by_role("heading", name=heading, level=2)).to_be_visible()
        current = admin_sections(page).locator("[aria-current='page']")
        expect(current).to_have_text(heading)
        admin_link = nav(page).get_by_role("link", name="Admin")
        expect(admin_link).to_have_attribute("aria-current", "page")
    # Following the section links works the same way, and the back button goes back.
    admin_sections(page).get_by_role("link", name="Users").click()
    expect(page).to_have_url(re.compile(r"#/admin/users$"))
    page.go_back()
    expect(page.get_by_role("heading", name="Reset store", level=2)).to_be_visible()
    page.goto(f"{admin_page.server.url}/#/admin/nowhere")
    expect(page.get_by_text("There is no such page in the admin console.")).to_be_visible()
    admin_page.assert_clean()


def test_admin_adjusts_stock_with_a_reason_and_sees_it_in_the_ledger(admin_page, api):
    page = admin_page.page
    kit = api.product_named("Helmet Care Kit")
    page.goto(f"{admin_page.server.url}/#/admin/products")
    row = page.locator(f"tr[data-product-id='{kit['id']}']")
    row.get_by_role("link", name="Stock history of Helmet Care Kit").click()
    expect(page).to_have_url(re.compile(rf"#/admin/products/{kit['id']}$"))
    expect(page.get_by_role("heading", name=f"Helmet Care Kit (#{kit['id']})")).to_be_visible()
    expect(page.locator(".stock-count")).to_have_text(str(kit["inventory_count"]))

    # The reason is required: the browser keeps the form from being sent without one.
    form = page.locator("#stock-adjust")
    form.get_by_label("Change (units)").fill("7")
    form.get_by_role("button", name="Adjust stock").click()
    assert form.get_by_label("Reason").evaluate("(input) => input.validity.valueMissing")
    assert admin_page.api_calls("POST", f"/admin/products/{kit['id']}/stock") == 0

    form.get_by_label("Reason").fill("delivery from supplier")
    form.get_by_role("button", name="Adjust stock").click()
    expect(status(page)).to_contain_text(f"is now {kit['inventory_count'] + 7}")
    expect(page.locator(".stock-count")).to_have_text(str(kit["inventory_count"] + 7))
    newest = page.locator("tbody tr").first
    expect(newest.locator("td")).to_have_text(
        [re.compile(r"\S"), "+7", str(kit["inventory_count"] + 7), "delivery from supplier",
         ADMIN_EMAIL]
    )

    # A write-off below zero is refused with the API's words, and changes nothing.
    form.get_by_label("Change (units)").fill(str(-(kit["inventory_count"] + 100)))
    form.get_by_label("Reason").fill("lost in the fire")
    with page.expect_response(lambda r: r.url.endswith(f"/admin/products/{kit['id']}/stock")
                              and r.request.method == "POST") as refused:
        form.get_by_role("button", name="Adjust stock").click()
    assert refused.value.status == 400
    expect(alert(page)).to_contain_text(refused.value.json()["detail"])
    token = api.admin_token()
    ledger = api.call("GET", f"/admin/products/{kit['id']}/stock", token, expect=200).json()
    assert [(m["delta"], m["reason"]) for m in ledger[:1]] == [(7, "delivery from supplier")]
    assert api.product_named("Helmet Care Kit")["inventory_count"] == kit["inventory_count"] + 7
    admin_page.assert_clean(allowed_api_statuses={400})
