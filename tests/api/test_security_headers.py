"""Security headers, the CSP of the storefront and docs, API caching, and opt-in CORS."""

import pytest


@pytest.mark.parametrize("path", ["/", "/api/v1/products", "/api/v1/nope", "/docs", "/healthz"])
def test_every_response_has_the_basic_security_headers(client, path):
    response = client.get(path)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    response.close()


def test_storefront_csp_allows_only_this_origin_and_no_inline_code(client):
    csp = client.get("/").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_docs_pages_have_a_csp_and_no_inline_script(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp
    html = response.data.decode()
    assert "<script>" not in html  # every script has a src on this origin
    assert "frame-ancestors 'none'" in csp


def test_api_answers_are_not_cached(client, shopper_headers):
    assert client.get("/api/v1/cart", headers=shopper_headers).headers["Cache-Control"] == \
        "no-store"
    assert client.get("/api/v1/nope").headers["Cache-Control"] == "no-store"


def test_no_cors_headers_by_default(client):
    response = client.get("/api/v1/products", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response.headers


@pytest.fixture
def cors_client(client):
    return client


@pytest.mark.parametrize("app", [{"CORS_ORIGINS": ["https://shop.example"]}], indirect=True)
def test_cors_allows_only_the_configured_origins(cors_client):
    allowed = cors_client.get("/api/v1/products", headers={"Origin": "https://shop.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://shop.example"
    assert "X-Pagination" in allowed.headers["Access-Control-Expose-Headers"]
    other = cors_client.get("/api/v1/products", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
    preflight = cors_client.options("/api/v1/orders", headers={
        "Origin": "https://shop.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "Authorization, Idempotency-Key"})
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://shop.example"
    assert "idempotency-key" in preflight.headers["Access-Control-Allow-Headers"].lower()
