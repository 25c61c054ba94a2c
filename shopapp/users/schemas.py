from marshmallow import fields

from ..api import Schema
from ..api.fields import IsoDateTime


class UserSchema(Schema):
    """A user as every response shows it: never a password or its hash."""

    id = fields.Integer(dump_only=True)
    email = fields.Email()
    full_name = fields.String(allow_none=True)
    is_admin = fields.Boolean()
    created_at = IsoDateTime(dump_only=True)
