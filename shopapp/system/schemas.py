from marshmallow import fields

from ..api import Schema


class InfoSchema(Schema):
    version = fields.String(required=True, metadata={"example": "1.0.0"})


class HealthSchema(Schema):
    status = fields.String(required=True, metadata={"example": "ok"})
    database = fields.String(required=True, metadata={"example": "ok"})
    schema = fields.String(
        required=True,
        metadata={"example": "ok", "description": "ok, missing or outdated (see `shop init-db`)"},
    )
