"""JWT wiring: identity is the user id as a string; every JWT failure is a JSON 401."""

from datetime import UTC, datetime

from flask import current_app, g
from flask_jwt_extended import create_access_token, create_refresh_token, decode_token

from ..api.fields import MAX_ID
from ..errors import error_response
from ..extensions import db

REVOCATIONS = "token_revocations"


def issue_access_token(user):
    """An access token that stops working when the user's token_version moves."""
    return create_access_token(identity=str(user.id), additional_claims={"ver": user.token_version})


def issue_tokens(user, with_refresh=True):
    """The login answer: a bearer access token, its lifetime, and a refresh token."""
    lifetime = current_app.config["JWT_ACCESS_TOKEN_EXPIRES"]
    tokens = {
        "access_token": issue_access_token(user),
        "token_type": "bearer",
        "expires_in": int(lifetime.total_seconds()),
    }
    if with_refresh:
        tokens["refresh_token"] = create_refresh_token(
            identity=str(user.id), additional_claims={"ver": user.token_version}
        )
    return tokens


def revocations():
    return current_app.extensions[REVOCATIONS]


def revoke_payload(payload):
    expires_at = datetime.fromtimestamp(payload["exp"], UTC)
    revocations().revoke(payload["jti"], expires_at)


def revoke_encoded(token, user_id):
    """Revoke a token given as a string, if it is a valid token of ``user_id``."""
    try:
        payload = decode_token(token)
    except Exception:  # noqa: BLE001 - an invalid token needs no revoking
        return False
    if payload.get("sub") != str(user_id):
        return False
    revoke_payload(payload)
    return True


def token_user_id(payload):
    """The user id a token names, or None unless ``sub`` is an id the database can hold
    (a positive 32-bit integer written in ASCII digits): identity is input too."""
    subject = payload.get("sub")
    if not isinstance(subject, str) or not subject.isascii() or not subject.isdigit():
        return None
    user_id = int(subject)
    return user_id if 1 <= user_id <= MAX_ID and str(user_id) == subject else None


def token_user(session, payload):
    """(the token's user, whether the token is revoked).

    The user is None when it no longer exists or its token_version moved on (password
    change, demotion): roles are read from the database, never trusted from the token."""
    user_id = token_user_id(payload)
    if user_id is None:
        return None, revocations().is_revoked(payload["jti"])
    user, revoked = revocations().user_and_revoked(session, user_id, payload["jti"])
    if user is not None and payload.get("ver", 0) != user.token_version:
        user = None
    return user, revoked


def register_jwt_handlers(jwt):
    register_user_loaders(jwt)
    register_error_answers(jwt)


def register_user_loaders(jwt):
    # flask-jwt-extended asks "revoked?" and then "which user?"; token_user answers both
    # in one query, so the first callback keeps the user for the second.
    @jwt.token_in_blocklist_loader
    def is_revoked(_header, payload):
        user, revoked = token_user(db.session, payload)
        g.token_user = user
        return revoked

    @jwt.user_lookup_loader
    def load_user(_header, payload):
        if "token_user" in g:
            return g.pop("token_user")
        return token_user(db.session, payload)[0]


def register_error_answers(jwt):
    """Every JWT failure answers 401 in the shop's one error shape."""

    @jwt.user_lookup_error_loader
    def user_gone(_header, _payload):
        return error_response(401, "This token's user no longer exists or the token was revoked.")

    @jwt.unauthorized_loader
    def missing_token(reason):
        return error_response(401, "Missing bearer token: send 'Authorization: Bearer <token>'.")

    @jwt.invalid_token_loader
    def invalid_token(_reason):
        return error_response(401, "The bearer token is malformed or its signature is invalid.")

    @jwt.expired_token_loader
    def expired_token(_header, _payload):
        return error_response(401, "The token has expired: log in again.")

    @jwt.revoked_token_loader
    def revoked_token(_header, _payload):
        return error_response(401, "The token has been revoked: log in again.")

    @jwt.needs_fresh_token_loader
    def needs_fresh(_header, _payload):
        return error_response(401, "A fresh token is required: log in again.")

    @jwt.token_verification_failed_loader
    def verification_failed(_header, _payload):
        return error_response(401, "The token was rejected.")
