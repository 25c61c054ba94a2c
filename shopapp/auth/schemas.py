from marshmallow import fields, validate

from ..api import Schema


class RegisterSchema(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    password = fields.String(
        required=True, load_only=True, validate=validate.Length(min=6, max=128)
    )
    full_name = fields.String(allow_none=True, validate=validate.Length(max=200))


class LoginSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(min=1, max=254))
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=128))


class TokenSchema(Schema):
    access_token = fields.String(required=True)
    token_type = fields.String(required=True, metadata={"example": "bearer"})
    expires_in = fields.Integer(required=True, metadata={"description": "Lifetime in seconds"})
    refresh_token = fields.String(
        metadata={"description": "Send as the bearer token to POST /auth/refresh (login only)"}
    )


class LogoutSchema(Schema):
    refresh_token = fields.String(validate=validate.Length(max=4096))


class PasswordChangeSchema(Schema):
    current_password = fields.String(required=True, load_only=True,
                                     validate=validate.Length(max=128))
    new_password = fields.String(required=True, load_only=True,
                                 validate=validate.Length(min=6, max=128))
