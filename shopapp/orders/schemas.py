from marshmallow import fields

from ..api import Schema
from ..api.fields import IsoDateTime, Money
from ..api.text_fields import Identifier, Text
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
    shipping_address = Text(allow_none=True, max_length=500, multiline=True)


class IdempotencyHeaderSchema(Schema):
    idempotency_key = Identifier(
        data_key="Idempotency-Key", min_length=1, max_length=200,
        metadata={"description": "Retries with the same key within 24 h return the first order"},
    )
