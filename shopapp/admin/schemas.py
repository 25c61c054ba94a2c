from marshmallow import fields, validate

from ..api import Schema
from ..api.fields import UTCDateTime, WholeNumber
from ..api.pagination import PageQuerySchema
from ..api.text_fields import Identifier, Text
from ..orders.lifecycle import STATUSES
from ..orders.schemas import OrderSchema
from ..products.schemas import MAX_STOCK


class RoleChangeSchema(Schema):
    is_admin = fields.Boolean(required=True)


class MessageSchema(Schema):
    detail = fields.String(required=True)


class StockAdjustmentSchema(Schema):
    delta = WholeNumber(required=True, validate=[
        validate.Range(min=-MAX_STOCK, max=MAX_STOCK),
        validate.NoneOf([0], error="Must not be zero."),
    ], metadata={"description": "Units to add (restock) or remove (write-off, negative)"})
    reason = Text(load_default="manual adjustment", min_length=1, max_length=200)


class StockMovementSchema(Schema):
    id = fields.Integer()
    product_id = fields.Integer()
    delta = fields.Integer()
    reason = fields.String()
    resulting_count = fields.Integer()
    user_id = fields.Integer(allow_none=True, metadata={"description": "Who made the change"})
    order_id = fields.Integer(allow_none=True)
    created_at = UTCDateTime()


class AdminOrderQuerySchema(PageQuerySchema):
    status = Identifier(max_length=20, validate=validate.OneOf(STATUSES))


class AdminOrderSchema(OrderSchema):
    user_id = fields.Integer()


class OrderStatusSchema(Schema):
    status = Identifier(required=True, max_length=20, validate=validate.OneOf(STATUSES))
