"""The API docs render in a real browser from this server alone, under their CSP."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.live]


@pytest.mark.parametrize("path, rendered", [
    ("/docs", "#swagger-ui-container .opblock"),
    ("/redoc", "[data-section-id]"),
])
def test_docs_render_offline_with_no_console_errors(shop, path, rendered):
    shop.page.goto(shop.server.url + path)
    shop.page.wait_for_selector(rendered)
    # Every operation of the live spec shows up (Swagger UI lists one block per operation).
    if path == "/docs":
        spec = shop.page.request.get(shop.server.url + "/openapi.json").json()
        operations = sum(len([m for m in item if m in {"get", "post", "put", "patch", "delete"}])
                         for item in spec["paths"].values())
        assert shop.page.locator(".opblock").count() == operations
    else:
        shop.page.wait_for_selector("text=Place an order from the cart", state="attached")
    shop.assert_clean()
