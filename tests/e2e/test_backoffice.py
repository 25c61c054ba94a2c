"""The admin console's back office in a real browser: sections with their own addresses,
the order lifecycle, the stock ledger, inactive products, the CSV export and the dashboard.
One server for the module, reset before each test."""

import csv
import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.support.browser import ADMIN_EMAIL, ADMIN_PASSWORD

from .flows import admin_sections, alert, log_in, money, nav, status

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
    sections = [
        ("dashboard", "Dashboard", "The last 30 days"),
        ("orders", "Orders", "Orders"),
        ("products", "Products", "Products"),
        ("users", "Users", "Users"),
        ("reset", "Reset store", "Reset store"),
    ]
    for slug, label, heading in sections:
        page.goto(f"{admin_page.server.url}/#/admin/{slug}")
        expect(page.get_by_role("heading", name=heading, level=2)).to_be_visible()
        current = admin_sections(page).locator("[aria-current='page']")
        expect(current).to_have_text(label)
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


def test_admin_adjusts_stock_with_a_reason_and_sees_it_in_the_ledger(admin_page, api, kit):
    page = admin_page.page
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


def order_rows(page):
    return page.locator("tbody tr[data-order-id]")


def test_admin_finds_orders_and_moves_one_through_paid_and_shipped(admin_page, api, visor):
    page = admin_page.page
    ada = api.register("ada.orders@example.com")
    bo = api.register("bo.orders@example.com")
    first = api.place_order(ada, (visor, 2), address="7 Pit Lane\nSilverstone")
    later = [api.place_order(bo, (visor, 1)) for _ in range(20)]
    newest = later[-1]

    # Newest first, 20 to a page; the second page holds the oldest.
    page.goto(f"{admin_page.server.url}/#/admin/orders")
    expect(order_rows(page).first).to_have_attribute("data-order-id", str(newest["id"]))
    expect(order_rows(page)).to_have_count(20)
    expect(page.get_by_text("Page 1 of 2 (21 orders)")).to_be_visible()
    page.get_by_role("button", name="Next page").click()
    expect(order_rows(page)).to_have_count(1)
    expect(order_rows(page)).to_have_attribute("data-order-id", str(first["id"]))

    # Search by email, then by id; the address keeps the filter.
    page.get_by_label("Order id or customer email").fill("ada.orders")
    page.get_by_role("button", name="Search").click()
    expect(order_rows(page)).to_have_count(1)
    expect(order_rows(page).locator("td").nth(1)).to_have_text("ada.orders@example.com")
    expect(page).to_have_url(re.compile(r"#/admin/orders\?q=ada\.orders$"))
    page.get_by_label("Order id or customer email").fill(str(newest["id"]))
    page.get_by_role("button", name="Search").click()
    expect(order_rows(page)).to_have_count(1)
    expect(order_rows(page)).to_have_attribute("data-order-id", str(newest["id"]))
    page.get_by_label("Order id or customer email").fill("")
    page.get_by_label("Status").select_option("paid")
    expect(page.get_by_text("No orders match.")).to_be_visible()
    page.get_by_label("Status").select_option("")
    expect(order_rows(page)).to_have_count(20)

    # The order's page: lines, address, customer and its history so far.
    page.goto(f"{admin_page.server.url}/#/admin/orders?q=ada.orders")
    order_rows(page).get_by_role("link", name=f"Order #{first['id']}").click()
    expect(page).to_have_url(re.compile(rf"#/admin/orders/{first['id']}$"))
    detail = page.locator(f".admin-order[data-order-id='{first['id']}']")
    expect(detail.locator(".customer")).to_have_text("ada.orders@example.com")
    expect(detail.locator(".address")).to_have_text("7 Pit Lane\nSilverstone")
    expect(detail.locator(".order-lines tbody th")).to_have_text([visor["name"]])
    history = detail.locator("table[aria-labelledby='order-history-title'] tbody tr")
    expect(history).to_have_count(1)
    expect(history.locator("td")).to_have_text([re.compile(r"\S"), "—", "pending",
                                                "ada.orders@example.com"])
    moves = detail.locator(".order-moves button")
    expect(moves).to_have_text(["Mark as paid", "Cancel order…"])

    detail.get_by_role("button", name="Mark as paid").click()
    expect(status(page)).to_contain_text(f"Order #{first['id']} is now paid")
    expect(detail.locator(".order-header .badge")).to_have_text("paid")
    expect(moves).to_have_text(["Mark as shipped", "Cancel order…"])
    detail.get_by_role("button", name="Mark as shipped").click()
    expect(detail.locator(".order-header .badge")).to_have_text("shipped")
    expect(moves).to_have_text(["Mark as delivered"])
    expect(history).to_have_count(3)
    expect(history.last.locator("td")).to_have_text([re.compile(r"\S"), "paid", "shipped",
                                                     ADMIN_EMAIL])

    admin = api.admin_token()
    served = api.call("GET", f"/admin/orders/{first['id']}", admin, expect=200).json()
    assert served["status"] == "shipped"
    assert [(c["from_status"], c["to_status"]) for c in served["status_history"]] == [
        (None, "pending"), ("pending", "paid"), ("paid", "shipped")]
    # Back to the list: the filter it had is still there.
    page.get_by_role("link", name="← All orders").click()
    expect(order_rows(page)).to_have_count(20)
    admin_page.assert_clean()


def test_admin_cancels_an_order_after_confirming_and_the_stock_comes_back(admin_page, api, kit):
    page = admin_page.page
    order = api.place_order(api.register("cancel.me@example.com"), (kit, 3))
    assert api.product_named(kit["name"])["inventory_count"] == kit["inventory_count"] - 3

    page.goto(f"{admin_page.server.url}/#/admin/orders/{order['id']}")
    page.get_by_role("button", name="Cancel order…").click()
    dialog = page.get_by_role("dialog", name=f"Cancel order #{order['id']}?")
    expect(dialog).to_contain_text("3 units go back in stock")
    expect(dialog.get_by_role("button", name="Keep the order")).to_be_focused()
    dialog.get_by_role("button", name="Keep the order").click()
    expect(dialog).to_have_count(0)
    assert admin_page.api_calls("PATCH", f"/admin/orders/{order['id']}") == 0

    page.get_by_role("button", name="Cancel order…").click()
    dialog.get_by_role("button", name="Yes, cancel the order").click()
    expect(status(page)).to_contain_text(
        f"Order #{order['id']} is cancelled: 3 units went back in stock (3 × {kit['name']})")
    expect(page.locator(".order-header .badge")).to_have_text("cancelled")
    expect(page.locator(".order-moves")).to_contain_text("A cancelled order is final.")
    assert api.product_named(kit["name"])["inventory_count"] == kit["inventory_count"]

    # The product's ledger shows the units coming back, linked to the order.
    page.goto(f"{admin_page.server.url}/#/admin/products/{kit['id']}")
    newest = page.locator("tbody tr").first
    expect(newest.locator("td").nth(1)).to_have_text("+3")
    expect(newest.get_by_role("link", name=f"Order #{order['id']}")).to_be_visible()
    admin_page.assert_clean()


def test_admin_finds_an_inactive_product(admin_page, api, kit):
    page = admin_page.page
    admin = api.admin_token()
    api.call("PUT", f"/products/{kit['id']}", admin, json={"is_active": False}, expect=200)

    page.goto(f"{admin_page.server.url}/#/admin/products")
    row = page.locator(f"tr[data-product-id='{kit['id']}']")
    expect(row.locator(".badge")).to_have_text("Inactive")
    page.get_by_label("Show").select_option("inactive")
    expect(page.locator("tbody tr[data-product-id]")).to_have_count(1)
    expect(row).to_be_visible()
    expect(page).to_have_url(re.compile(r"#/admin/products\?status=inactive$"))
    page.get_by_label("Show").select_option("active")
    expect(row).to_have_count(0)
    page.get_by_label("Show").select_option("")
    page.get_by_label("Name or description").fill("care kit")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("tbody tr[data-product-id]")).to_have_count(1)

    # Activated again from the console, it is back in the catalog.
    row.get_by_role("button", name="Activate Helmet Care Kit").click()
    expect(row.locator(".badge")).to_have_text("Active")
    assert kit["name"] in [p["name"] for p in api.products()]
    assert page.evaluate("localStorage.getItem('shop.admin.inactiveProductIds')") is None
    admin_page.assert_clean()


def test_the_dashboard_shows_the_figures_the_api_gives(admin_page, api, visor, kit):
    page = admin_page.page
    admin = api.admin_token()
    shopper = api.register("dashboard.buyer@example.com")
    api.place_order(shopper, (visor, 3))
    api.move_order(admin, api.place_order(shopper, (kit, 1)), "paid")
    api.move_order(admin, api.place_order(shopper, (kit, 4)), "cancelled")
    in_stock = api.product_named(kit["name"])["inventory_count"]
    low = api.call("POST", f"/admin/products/{kit['id']}/stock", admin,
                   json={"delta": 2 - in_stock, "reason": "stock take"},
                   expect=201).json()
    assert low["inventory_count"] == 2
    stats = api.call("GET", "/admin/stats?days=30", admin, expect=200).json()
    assert stats["totals"]["orders"] == 2  # the cancelled order counts nowhere

    nav(page).get_by_role("link", name="Admin").click()
    expect(page).to_have_url(re.compile(r"#/admin$"))
    expect(admin_sections(page).locator("[aria-current='page']")).to_have_text("Dashboard")
    expect(page.locator("#stat-revenue")).to_have_text(money(stats["totals"]["revenue"]))
    expect(page.locator("#stat-orders")).to_have_text(str(stats["totals"]["orders"]))
    expect(page.locator("#stat-aov")).to_have_text(money(stats["totals"]["average_order_value"]))
    expect(page.locator("#stat-awaiting")).to_have_text(str(stats["awaiting_shipment"]))

    # The chart is drawn, and the table beside it has every day's figures.
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.getElementById('revenue-chart'))")
    drawn = page.evaluate(
        "() => Chart.getChart(document.getElementById('revenue-chart')).data.datasets[0].data")
    assert drawn == [float(day["revenue"]) for day in stats["daily"]]
    page.get_by_text("Revenue per day as a table").click()
    rows = page.locator("#revenue-table tbody tr")
    expect(rows).to_have_count(30)
    today = stats["daily"][-1]
    expect(rows.last.locator("td")).to_have_text([str(today["orders"]), money(today["revenue"])])
    assert page.locator("#revenue-table tbody tr").evaluate_all(
        "(rows) => rows.map((row) => row.dataset.date)") == [d["date"] for d in stats["daily"]]

    top_units = page.locator("table[aria-labelledby='top-units-title'] tbody tr")
    expect(top_units.locator("th")).to_have_text(
        [p["name"] for p in stats["top_products_by_units"]])
    expect(top_units.first.locator("td")).to_have_text(
        [str(stats["top_products_by_units"][0]["units"]),
         money(stats["top_products_by_units"][0]["revenue"])])
    top_revenue = page.locator("table[aria-labelledby='top-revenue-title'] tbody tr th")
    expect(top_revenue).to_have_text([p["name"] for p in stats["top_products_by_revenue"]])

    # Low stock lists the kit; its Restock link opens the adjust form.
    low_items = page.locator(".low-stock-list li")
    expect(low_items).to_have_count(len(stats["low_stock"]))
    assert kit["id"] in [p["id"] for p in stats["low_stock"]]
    page.get_by_role("link", name="Restock Helmet Care Kit").click()
    expect(page).to_have_url(re.compile(rf"#/admin/products/{kit['id']}\?restock$"))
    expect(page.locator("#stock-adjust").get_by_label("Change (units)")).to_be_focused()
    expect(page.locator(".stock-count")).to_have_text("2")
    page.keyboard.type("20")
    page.locator("#stock-adjust").get_by_label("Reason").fill("restock from the dashboard")
    page.locator("#stock-adjust").get_by_role("button", name="Adjust stock").click()
    expect(page.locator(".stock-count")).to_have_text("22")
    admin_page.assert_clean()


def test_admin_downloads_the_csv_of_the_filtered_orders(admin_page, api, visor, kit):
    page = admin_page.page
    admin = api.admin_token()
    buyer = api.register("csv.buyer@example.com")
    two_lines = api.place_order(buyer, (visor, 2), (kit, 1))
    api.move_order(admin, api.place_order(buyer, (kit, 5)), "paid")
    today = datetime.now(UTC).date().isoformat()

    page.goto(f"{admin_page.server.url}/#/admin/orders")
    page.get_by_label("Status").select_option("pending")
    expect(order_rows(page)).to_have_count(1)
    page.get_by_label("From (UTC date)").fill(today)
    page.get_by_label("To (UTC date)").fill(today)
    with page.expect_download() as downloaded:
        page.get_by_role("button", name="Download CSV").click()
    download = downloaded.value
    assert download.suggested_filename == f"orders-{today}-{today}.csv"
    expect(status(page)).to_contain_text(f"Downloaded {download.suggested_filename}")
    rows = list(csv.DictReader(Path(download.path()).read_text(encoding="utf-8").splitlines()))

    # One row per line of the pending order only, with the figures the order has.
    assert {row["order_id"] for row in rows} == {str(two_lines["id"])}
    lines = {item["product"]["name"]: item for item in two_lines["items"]}
    assert sorted(row["product_name"] for row in rows) == sorted(lines)
    for row in rows:
        item = lines[row["product_name"]]
        assert (row["status"], row["customer_email"]) == ("pending", "csv.buyer@example.com")
        assert int(row["quantity"]) == item["quantity"]
        assert Decimal(row["unit_price"]) == Decimal(item["unit_price"])
        assert Decimal(row["line_total"]) == Decimal(item["unit_price"]) * item["quantity"]
    admin_page.assert_clean()
