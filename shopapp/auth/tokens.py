"""JWT wiring: identity is the user id as a string; every JWT failure is a JSON 401."""

from flask_jwt_extended import create_access_token

from ..errors import error_response
from ..extensions import db
from ..models import User


def issue_access_token(user):
    """An access token that stops working when the user's token_version moves."""
    return create_access_token(identity=str(user.id), additional_claims={"ver": user.token_version})


def register_jwt_handlers(jwt):
    @jwt.user_lookup_loader
    def load_user(_header, payload):
        try:
            user_id = int(payload["sub"])
        except (KeyError, TypeError, ValueError):
            return None
        user = db.session.get(User, user_id)
        if user is None or payload.get("ver", 0) != user.token_version:
            return None
        return user

    @jwt.user_lookup_error_loader
    def user_gone(_header, _payload):
        return error_response(401, "This token's user no longer exists or the token was revoked.")

    @jwt.unauthorized_loader
    def missing_token(reason):
        return error_response(401, "Missing bearer token: send 'Authorization: Bearer <token>'.")

    @jwt.invalid_token_loader
    def invalid_token(reason):
        return error_response(401, f"Invalid token: {reason}.")

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
