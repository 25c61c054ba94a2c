"""The shop: a Flask application factory."""

import logging
import os
from pathlib import Path

from flask import Flask

from . import auth
from .api.path_converters import install_path_converters
from .auth.limits import register_rate_limit_answer
from .config import config_for
from .database.engine import configure_engine, default_database_uri, engine_options
from .database.transactions import retry_reads
from .errors import register_error_handlers
from .extensions import api as smorest_api
from .extensions import db, limiter, migrate
from .products.catalog_cache import init_catalog_cache
from .readiness import register_readiness
from .web.cookie_session import disable_cookie_session
from .web.json_provider import install_json_provider
from .web.metrics import register_metrics
from .web.request_log import register_request_logging
from .web.security_headers import register_cors, register_security_headers
from .web.storefront import register_storefront

PACKAGE_DIR = Path(__file__).resolve().parent
MIGRATIONS_DIR = PACKAGE_DIR / "migrations"


def create_app(config=None):
    """Build the app. ``config``: a config name, a config class, or a dict of overrides
    (where ``INSTANCE_PATH`` may also choose the instance folder)."""
    overrides = config if isinstance(config, dict) else {}
    instance_path = overrides.get("INSTANCE_PATH") or os.environ.get("SHOP_INSTANCE_PATH")
    app = Flask(
        __name__,
        template_folder="templates",
        instance_path=os.path.abspath(instance_path) if instance_path else None,
        static_folder=None,  # served by register_storefront, never under /api/
    )
    load_config(app, config)
    install_json_provider(app)  # orjson, when installed (docs/PERFORMANCE.md)
    app.json.sort_keys = False  # keep schema field order: id first, as the docs show it
    init_catalog_cache(app)  # the encoded GET /products answer (docs/PERFORMANCE.md)
    disable_cookie_session(app)  # stateless API: no cookie session per request (same)
    configure_logging(app)
    init_extensions(app)
    register_readiness(app)  # 503 until the schema is at the migration head
    install_path_converters(app)  # ASCII digits only in path ids
    register_blueprints(app)
    register_error_handlers(app)
    register_request_logging(app)
    register_metrics(app)  # GET /metrics, off unless METRICS_ALLOWED_ADDRESSES
    register_security_headers(app)
    register_cors(app)
    register_storefront(app)
    register_commands(app)
    retry_reads(app, lambda: db.session)  # after every view is registered
    return app


def load_config(app, config):
    if config is None or isinstance(config, str):
        app.config.from_object(config_for(config))
    elif isinstance(config, dict):
        app.config.from_object(config_for(config.get("ENV_NAME")))
        app.config.update(config)
    else:
        app.config.from_object(config)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = default_database_uri(app.instance_path)
    app.config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS",
        engine_options(app.config["SQLALCHEMY_DATABASE_URI"], app.config),
    )


def configure_logging(app):
    logging.basicConfig(
        level=app.config["LOG_LEVEL"],
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # The format shows none of these, and looking them up costs every log line (the
    # logging HOWTO's "Optimization": no thread or process fields). The caller lookup
    # stays on: turning it off means the private logging._srcfile, for about 1 µs per
    # log line, under 1 % of any request (issue 15).
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False


def init_extensions(app):
    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    auth.init_app(app)  # the JWT manager, its loaders and the revocation store
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    limiter.init_app(app)
    smorest_api.init_app(app)
    smorest_api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    )
    register_rate_limit_answer(app)


def register_blueprints(app):
    from .admin.routes import blp as admin_blp
    from .auth.routes import blp as auth_blp
    from .cart.routes import blp as cart_blp
    from .orders.routes import blp as orders_blp
    from .products.routes import blp as products_blp
    from .system.routes import blp as system_blp
    from .users.routes import blp as users_blp

    for blueprint in (auth_blp, users_blp, products_blp, cart_blp, orders_blp, admin_blp,
                      system_blp):
        smorest_api.register_blueprint(blueprint)


def register_commands(app):
    from .cli import register_cli

    register_cli(app)
