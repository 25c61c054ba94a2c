from marshmallow import fields, validate

from ..api import Schema
from ..api.fields import IsoDateTime, WholeNumber
from ..api.pagination import PageQuerySchema
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
    reason = fields.String(load_default="manual adjustment",
                           validate=validate.Length(min=1, max=200))


class StockMovementSchema(Schema):
    id = fields.Integer()
    product_id = fields.Integer()
    delta = fields.Integer()
    reason = fields.String()
    resulting_count = fields.Integer()
    user_id = fields.Integer(allow_none=True, metadata={"description": "Who made the change"})
    order_id = fields.Integer(allow_none=True)
    created_at = IsoDateTime()


class AdminOrderQuerySchema(PageQuerySchema):
    status = fields.String(validate=validate.OneOf(STATUSES))


class AdminOrderSchema(OrderSchema):
    user_id = fields.Integer()


class OrderStatusSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
