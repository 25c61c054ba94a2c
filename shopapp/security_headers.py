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


def register_security_headers(app):
    @app.after_request
    def add_security_headers(response):
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "no-referrer")
        if response.mimetype == "text/html":
            docs = request.path.startswith(DOCS_PATHS)
            headers.setdefault("Content-Security-Policy", DOCS_CSP if docs else STOREFRONT_CSP)
        if request.path.startswith("/api/") and "Cache-Control" not in headers \
                and "ETag" not in headers:
            headers["Cache-Control"] = "no-store"
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
