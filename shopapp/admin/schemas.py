from marshmallow import fields

from ..extensions import Schema


class RoleChangeSchema(Schema):
    is_admin = fields.Boolean(required=True)


class MessageSchema(Schema):
    detail = fields.String(required=True)
