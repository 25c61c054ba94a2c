from marshmallow import fields, validate

from ..api import Schema
from ..api.fields import IsoDateTime, WholeNumber
from ..api.pagination import PageQuerySchema
from ..orders.lifecycle import STATUSES, allowed_next
from ..orders.schemas import OrderSchema
from ..products.schemas import MAX_STOCK, CatalogQuerySchema, ProductSchema

PRODUCT_STATUSES = ("active", "inactive")


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


class AdminProductQuerySchema(CatalogQuerySchema):
    """The catalog's search, sort and paging, over every product."""

    status = fields.String(validate=validate.OneOf(PRODUCT_STATUSES),
                           metadata={"description": "Only active or only inactive products"})
    include_deleted = fields.Boolean(load_default=False,
                                     metadata={"description": "Also soft-deleted products"})


class AdminProductSchema(ProductSchema):
    deleted_at = IsoDateTime(dump_only=True, allow_none=True,
                             metadata={"description": "Set when soft-deleted, else null"})


class AdminOrderQuerySchema(PageQuerySchema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    q = fields.String(validate=validate.Length(min=1, max=254), metadata={
        "description": "An order id, or part of the customer's email (any case)"})


class StatusChangeSchema(Schema):
    at = IsoDateTime()
    from_status = fields.String(allow_none=True,
                                metadata={"description": "null for the checkout"})
    to_status = fields.String()
    actor_id = fields.Integer(allow_none=True, metadata={"description": "Who made the change"})
    actor_email = fields.Function(
        lambda change: change.actor.email if change.actor is not None else None,
        metadata={"type": "string", "nullable": True},
    )


class AdminOrderSchema(OrderSchema):
    user_id = fields.Integer()
    customer_email = fields.String(attribute="user.email")
    allowed_transitions = fields.Function(
        lambda order: list(allowed_next(order.status)),
        metadata={"type": "array", "items": {"type": "string", "enum": list(STATUSES)},
                  "description": "The states an admin may move the order to next"},
    )
    status_history = fields.List(fields.Nested(StatusChangeSchema),
                                 metadata={"description": "Oldest first"})


class OrderStatusSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
