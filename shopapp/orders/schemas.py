from marshmallow import fields, validate

from ..api import Schema
from ..api.fields import IsoDateTime, Money
from ..products.schemas import ProductSchema


class OrderItemSchema(Schema):
    id = fields.Integer()
    product = fields.Nested(ProductSchema)
    product_name = fields.String(metadata={"description": "Name at checkout time"})
    quantity = fields.Integer()
    unit_price = Money(metadata={"description": "Price paid, frozen at checkout"})


class OrderSchema(Schema):
    id = fields.Integer()
    status = fields.String(metadata={"example": "pending"})
    total_amount = Money()
    created_at = IsoDateTime()
    items = fields.List(fields.Nested(OrderItemSchema))
    shipping_address = fields.String(allow_none=True)


class OrderCreateSchema(Schema):
    shipping_address = fields.String(allow_none=True, validate=validate.Length(max=500))


class IdempotencyHeaderSchema(Schema):
    idempotency_key = fields.String(
        data_key="Idempotency-Key",
        validate=validate.Length(min=1, max=200),
        metadata={"description": "Retries with the same key within 24 h return the first order"},
    )
