from marshmallow import fields, validate

from ..api import Schema
from ..api.fields import IsoDateTime, Money, WholeNumber
from ..api.pagination import PageQuerySchema
from ..api.text_fields import Identifier, Text
from ..orders.lifecycle import STATUSES, allowed_next
from ..orders.schemas import OrderSchema
from ..products.schemas import MAX_STOCK, CatalogQuerySchema, ProductSchema
from .stats import DEFAULT_DAYS, MAX_DAYS

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
    reason = Text(load_default="manual adjustment", min_length=1, max_length=200)


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

    status = Identifier(max_length=20, validate=validate.OneOf(PRODUCT_STATUSES),
                        metadata={"description": "Only active or only inactive products"})
    include_deleted = fields.Boolean(load_default=False,
                                     metadata={"description": "Also soft-deleted products"})


class AdminProductSchema(ProductSchema):
    deleted_at = IsoDateTime(dump_only=True, allow_none=True,
                             metadata={"description": "Set when soft-deleted, else null"})


class AdminOrderQuerySchema(PageQuerySchema):
    status = Identifier(max_length=20, validate=validate.OneOf(STATUSES))
    q = Text(min_length=1, max_length=254, metadata={
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
    status = Identifier(required=True, max_length=20, validate=validate.OneOf(STATUSES))


class StatsQuerySchema(Schema):
    days = WholeNumber(load_default=DEFAULT_DAYS, validate=validate.Range(min=1, max=MAX_DAYS),
                       metadata={"description": "UTC days ending today"})


class DailySalesSchema(Schema):
    date = fields.Date()
    orders = fields.Integer(metadata={"description": "Orders placed that day, not cancelled"})
    revenue = Money()


class StatsTotalsSchema(Schema):
    orders = fields.Integer()
    revenue = Money()
    average_order_value = Money(metadata={"description": '"0.00" without orders'})


# One count per order state, always all of them.
OrdersByStatusSchema = Schema.from_dict(
    {status: fields.Integer() for status in STATUSES}, name="OrdersByStatusSchema"
)


class ProductSalesSchema(Schema):
    product_id = fields.Integer()
    name = fields.String()
    units = fields.Integer()
    revenue = Money()


class LowStockSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    stock = fields.Integer()


class StatsSchema(Schema):
    days = fields.Integer()
    start = fields.Date()
    end = fields.Date()
    daily = fields.List(fields.Nested(DailySalesSchema),
                        metadata={"description": "Every day of the window, oldest first"})
    totals = fields.Nested(StatsTotalsSchema, metadata={"description": "Cancelled excluded"})
    orders_by_status = fields.Nested(OrdersByStatusSchema,
                                     metadata={"description": "Orders placed in the window"})
    awaiting_shipment = fields.Integer(
        metadata={"description": "Orders pending or paid now, placed at any time"})
    top_products_by_units = fields.List(fields.Nested(ProductSalesSchema))
    top_products_by_revenue = fields.List(fields.Nested(ProductSalesSchema))
    low_stock_threshold = fields.Integer()
    low_stock = fields.List(fields.Nested(LowStockSchema),
                            metadata={"description": "Active products at or below the "
                                      "threshold, lowest stock first"})


class OrderExportQuerySchema(Schema):
    from_date = fields.Date(data_key="from", metadata={
        "description": "First UTC day (YYYY-MM-DD, inclusive)"})
    to_date = fields.Date(data_key="to", metadata={
        "description": "Last UTC day (YYYY-MM-DD, inclusive)"})
    status = Identifier(max_length=20, validate=validate.OneOf(STATUSES))
