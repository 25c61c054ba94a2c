"""Response headers for a shop on the internet: no sniffing, no framing, a strict CSP,
and API answers that are never cached unless they say so (the catalog sends an ETag)."""

from flask import request

# The storefront: everything from this origin, nothing inline.
STOREFRONT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# Swagger UI and ReDoc set inline styles and ReDoc searches in a blob: worker; scripts
# still come only from this origin.
DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self' data:; "
    "worker-src 'self' blob:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
)
DOCS_PATHS = ("/docs", "/redoc")


# Sent with every answer (unless the view set its own value).
ALWAYS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
)
ALWAYS_LOWER = tuple((name.lower(), (name, value)) for name, value in ALWAYS)


def register_security_headers(app):
    @app.after_request
    def add_security_headers(response):
        # Runs on every answer, so it reads the raw header list once instead of parsing
        # the content type and scanning the headers per check (docs/PERFORMANCE.md).
        headers = response.headers
        present = {name.lower() for name, _ in headers.items()}
        headers.extend(pair for lower, pair in ALWAYS_LOWER if lower not in present)
        path = request.path
        if path.startswith("/api/") and "cache-control" not in present \
                and "etag" not in present:
            headers.add("Cache-Control", "no-store")
        if "content-security-policy" not in present and \
                headers.get("Content-Type", "").startswith("text/html"):
            headers.add("Content-Security-Policy",
                        DOCS_CSP if path.startswith(DOCS_PATHS) else STOREFRONT_CSP)
        return response


def register_cors(app):
    """CORS only for the origins listed in CORS_ORIGINS; off when the list is empty."""
    origins = app.config["CORS_ORIGINS"]
    if not origins:
        return
    from flask_cors import CORS

    CORS(
        app,
        resources={r"/api/*": {"origins": origins}},
        allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "X-Request-ID",
                       "If-None-Match"],
        expose_headers=["X-Pagination", "X-Request-ID", "ETag", "Retry-After"],
        max_age=600,
    )
