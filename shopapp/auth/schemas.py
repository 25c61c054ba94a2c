from marshmallow import ValidationError, fields

from ..api import Schema
from ..api.text_fields import Identifier, Password, Text
from .emails import MAX_EMAIL_LENGTH, InvalidEmailError, canonical_email

MAX_PASSWORD_LENGTH = 128


class EmailAddress(Identifier):
    """An address as it is stored: validated and canonical (shopapp.auth.emails)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {}).setdefault("format", "email")
        super().__init__(max_length=MAX_EMAIL_LENGTH, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return canonical_email(text)
        except InvalidEmailError as error:
            raise ValidationError(f"Not a valid email address: {error}") from None


class RegisterSchema(Schema):
    email = EmailAddress(required=True)
    password = Password(required=True, load_only=True, min_length=6,
                        max_length=MAX_PASSWORD_LENGTH)
    full_name = Text(allow_none=True, max_length=200)


class LoginSchema(Schema):
    # Any text: an address that does not validate simply matches no account (401).
    email = Identifier(required=True, min_length=1, max_length=MAX_EMAIL_LENGTH)
    password = Password(required=True, load_only=True, max_length=MAX_PASSWORD_LENGTH)


class TokenSchema(Schema):
    access_token = fields.String(required=True)
    token_type = fields.String(required=True, metadata={"example": "bearer"})
    expires_in = fields.Integer(required=True, metadata={"description": "Lifetime in seconds"})
    refresh_token = fields.String(
        metadata={"description": "Send as the bearer token to POST /auth/refresh (login only)"}
    )


class LogoutSchema(Schema):
    refresh_token = Identifier(max_length=4096)


class PasswordChangeSchema(Schema):
    current_password = Password(required=True, load_only=True, max_length=MAX_PASSWORD_LENGTH)
    new_password = Password(required=True, load_only=True, min_length=6,
                            max_length=MAX_PASSWORD_LENGTH)
