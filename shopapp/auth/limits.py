"""Abuse limits on the auth endpoints (values from config, so tests and operators tune them)."""

from flask import current_app, request
from flask_limiter.util import get_remote_address

from ..extensions import limiter


def submitted_email():
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) else None
    return "email:" + (email.strip().lower() if isinstance(email, str) else "")


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
