from marshmallow import fields, validate

from ..api import Schema
from ..api.fields import MAX_ID, IsoDateTime, Money, WholeNumber
from ..products.schemas import ProductSchema

MAX_LINE_QUANTITY = 10_000


class CartItemSchema(Schema):
    id = fields.Integer(dump_only=True)
    product = fields.Nested(ProductSchema, dump_only=True)
    quantity = fields.Integer()
    added_at = IsoDateTime(dump_only=True)


class CartSchema(Schema):
    items = fields.List(fields.Nested(CartItemSchema))
    subtotal = Money()


class CartItemAddSchema(Schema):
    product_id = WholeNumber(required=True, validate=validate.Range(min=1, max=MAX_ID))
    quantity = WholeNumber(
        load_default=1, validate=validate.Range(min=1, max=MAX_LINE_QUANTITY)
    )


class CartItemUpdateSchema(Schema):
    quantity = WholeNumber(
        required=True, validate=validate.Range(min=1, max=MAX_LINE_QUANTITY)
    )
