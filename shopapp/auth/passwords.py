"""Password hashing with werkzeug (scrypt by default; tests configure a cheaper method)."""

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash


def hash_password(password, method=None):
    method = method or current_app.config["PASSWORD_HASH_METHOD"]
    return generate_password_hash(password, method=method)


def verify_password(password_hash, password):
    return check_password_hash(password_hash, password)
