"""Configuration: one class per environment, every value read from the environment.

Every setting below is documented in README.md ("Configuration"). Secrets never have a
hard-coded default: when SECRET_KEY / JWT_SECRET_KEY are absent they are generated once
and stored in the database, shared by every process on it (see ``shopapp.signing_keys``).
"""

import os
from datetime import timedelta

# The seeded admin's password when ADMIN_PASSWORD is unset: for demos only (README.md).
DEMO_ADMIN_PASSWORD = "admin123"


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


class Config:
    """Production defaults; every field can be overridden by the environment."""

    TESTING = False

    # None means "SQLite file inside the instance folder", filled in by the factory.
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or None
    SQLITE_BUSY_TIMEOUT_MS = env_int("SQLITE_BUSY_TIMEOUT_MS", 15000)
    DB_POOL_TIMEOUT = env_int("DB_POOL_TIMEOUT", 5)
    # Redis: shared token revocations and rate-limit counters for several processes.
    REDIS_URL = os.environ.get("REDIS_URL") or None

    # Unset: generated once and stored in the database for every process (signing_keys.py).
    SECRET_KEY = os.environ.get("SECRET_KEY") or None
    JWT_SECRET_KEY = os.environ.get("JWT_SECRET_KEY") or None
    # JWT_ACCESS_TOKEN_SECONDS, when set, wins: lifetimes under a minute (browser tests of
    # the storefront's token refresh).
    JWT_ACCESS_TOKEN_EXPIRES = timedelta(
        seconds=env_int("JWT_ACCESS_TOKEN_SECONDS", 0)
    ) or timedelta(minutes=env_int("JWT_ACCESS_TOKEN_MINUTES", 60))
    JWT_REFRESH_TOKEN_EXPIRES = timedelta(days=env_int("JWT_REFRESH_TOKEN_DAYS", 14))
    JWT_TOKEN_LOCATION = ["headers"]
    JWT_ERROR_MESSAGE_KEY = "detail"

    # Password hashing: werkzeug's scrypt; tests lower the cost.
    PASSWORD_HASH_METHOD = os.environ.get("PASSWORD_HASH_METHOD", "scrypt")

    ADMIN_EMAIL = os.environ.get("ADMIN_EMAIL", "admin@example.com")
    # Demo-only default, documented in README.md: set ADMIN_PASSWORD in production.
    ADMIN_PASSWORD = os.environ.get("ADMIN_PASSWORD", DEMO_ADMIN_PASSWORD)
    SEED_ON_START = env_bool("SEED_ON_START", True)
    # `shop serve` and wsgi.py apply migrations (under a cross-process lock) before serving;
    # false leaves that to `shop init-db`, and requests answer 503 until it has run.
    MIGRATE_ON_START = env_bool("MIGRATE_ON_START", True)

    # Abuse limits (Flask-Limiter reads the RATELIMIT_* keys itself).
    RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_DEFAULT = os.environ.get("RATELIMIT_DEFAULT", "1200 per minute")
    # Flask-Limiter would put Retry-After (and X-RateLimit-*) on every answer, 200s included;
    # Retry-After belongs on 429 (added by shopapp.auth.limits) and 503 alone.
    RATELIMIT_HEADERS_ENABLED = False
    LOGIN_FAILURE_LIMIT = os.environ.get("LOGIN_FAILURE_LIMIT", "5 per minute")
    REGISTER_LIMIT = os.environ.get("REGISTER_LIMIT", "20 per hour")
    MAX_CONTENT_LENGTH = env_int("MAX_BODY_BYTES", 64 * 1024)
    # Comma-separated origins allowed to call the API from a browser; empty means no CORS.
    CORS_ORIGINS = [o.strip() for o in os.environ.get("CORS_ORIGINS", "").split(",") if o.strip()]
    IDEMPOTENCY_KEY_HOURS = env_int("IDEMPOTENCY_KEY_HOURS", 24)
    # GET /admin/stats lists active products with this many units or fewer as low stock.
    LOW_STOCK_THRESHOLD = env_int("LOW_STOCK_THRESHOLD", 5)

    # Waitress (``shop serve``).
    SHOP_HOST = os.environ.get("SHOP_HOST", "0.0.0.0")
    SHOP_PORT = env_int("SHOP_PORT", 8000)
    SHOP_THREADS = env_int("SHOP_THREADS", 8)
    # Address of a reverse proxy whose X-Forwarded-For waitress should trust (none by default).
    SHOP_TRUSTED_PROXY = os.environ.get("SHOP_TRUSTED_PROXY") or None
    # Slow and idle clients. Waitress reads requests without a thread and closes a
    # connection after WAITRESS_CHANNEL_TIMEOUT seconds without a byte in either direction;
    # past WAITRESS_CONNECTION_LIMIT open connections it stops accepting new ones, so with
    # waitress's 100 a hundred idle clients starve everyone else (README, "Running several
    # processes"). Polling (not select) keeps descriptors above 1024 usable.
    WAITRESS_CONNECTION_LIMIT = env_int("WAITRESS_CONNECTION_LIMIT", 1000)
    WAITRESS_CHANNEL_TIMEOUT = env_int("WAITRESS_CHANNEL_TIMEOUT", 30)
    WAITRESS_BACKLOG = env_int("WAITRESS_BACKLOG", 1024)

    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    # GET /metrics (Prometheus) reveals business figures: off (404) unless this lists the
    # comma-separated addresses or networks (e.g. 127.0.0.1,10.0.0.0/8) that may read it.
    METRICS_ALLOWED_ADDRESSES = [
        entry.strip() for entry in os.environ.get("METRICS_ALLOWED_ADDRESSES", "").split(",")
        if entry.strip()
    ]

    # Performance (docs/PERFORMANCE.md). CATALOG_CACHE: keep GET /products' answer encoded,
    # revalidated against the database's catalog version on each request; false turns it off.
    CATALOG_CACHE = env_bool("CATALOG_CACHE", True)

    # OpenAPI / docs: every asset is served from static/vendor, never from a CDN.
    API_TITLE = "The shop"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "docs"
    OPENAPI_SWAGGER_UI_URL = "/vendor/swagger-ui/"
    OPENAPI_REDOC_PATH = "redoc"
    OPENAPI_REDOC_URL = "/vendor/redoc/redoc.standalone.js"


class DevelopmentConfig(Config):
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "DEBUG")


class TestingConfig(Config):
    TESTING = True
    # Cheap hashes keep the suite fast; production keeps scrypt's default cost.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    SECRET_KEY = "test-secret-key-not-for-production"
    JWT_SECRET_KEY = "test-jwt-secret-key-not-for-production-0123456789"
    SEED_ON_START = False
    RATELIMIT_ENABLED = False


CONFIGS = {
    "production": Config,
    "development": DevelopmentConfig,
    "testing": TestingConfig,
}


def config_for(name=None):
    """The config class named by ``name`` or by the SHOP_ENV variable (default production)."""
    return CONFIGS[(name or os.environ.get("SHOP_ENV", "production")).lower()]
