"""Abuse limits on the auth endpoints (values from config, so tests and operators tune them)."""

import math
import time

from flask import current_app, request
from flask_limiter.errors import RateLimitExceeded
from flask_limiter.util import get_remote_address

from ..errors import error_response
from ..extensions import limiter
from .emails import lookup_email


def submitted_email():
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) else None
    # The canonical form: variants of one address share one budget.
    return "email:" + (lookup_email(email) if isinstance(email, str) else "")


def failed_login(response):
    return response.status_code == 401


def _config_value(key):
    return lambda: current_app.config[key]


# Only failures count, per client address and per targeted account.
login_failures_per_address = limiter.limit(
    _config_value("LOGIN_FAILURE_LIMIT"), key_func=get_remote_address, deduct_when=failed_login,
    scope="login-address",
)
login_failures_per_email = limiter.limit(
    _config_value("LOGIN_FAILURE_LIMIT"), key_func=submitted_email, deduct_when=failed_login,
    scope="login-email",
)
registrations_per_address = limiter.limit(
    _config_value("REGISTER_LIMIT"), key_func=get_remote_address, scope="register",
)


def seconds_until_retry():
    """When the limit this request broke lets the client in again (at least 1 s)."""
    breached = limiter.current_limit
    if breached is None:
        return 1
    return max(1, math.ceil(breached.reset_at - time.time()))


def register_rate_limit_answer(app):
    """429 JSON with Retry-After: the one answer that carries it, with 503."""

    @app.errorhandler(RateLimitExceeded)
    def too_many_requests(_error):
        return error_response(429, headers={"Retry-After": str(seconds_until_retry())})
