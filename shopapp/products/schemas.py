from marshmallow import fields, validate

from ..api import Schema
from ..api.fields import IsoDateTime, Money, WholeNumber, positive_money
from ..api.pagination import PageQuerySchema

MAX_STOCK = 1_000_000_000


class ProductSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = fields.String(load_default="", validate=validate.Length(max=5000))
    price = Money(required=True, validate=positive_money())
    inventory_count = WholeNumber(load_default=0, validate=validate.Range(min=0, max=MAX_STOCK))
    image_url = fields.String(allow_none=True, validate=validate.Length(max=500))
    is_active = fields.Boolean(load_default=True)
    created_at = IsoDateTime(dump_only=True)


class ProductUpdateSchema(ProductSchema):
    """Any subset of a product's fields."""

    name = fields.String(validate=validate.Length(min=1, max=200))
    description = fields.String(validate=validate.Length(max=5000))
    price = Money(validate=positive_money())
    inventory_count = WholeNumber(validate=validate.Range(min=0, max=MAX_STOCK))
    is_active = fields.Boolean()


SORT_CHOICES = ("id", "name", "-name", "price", "-price", "created_at", "-created_at")


class CatalogQuerySchema(PageQuerySchema):
    """Optional search, sort and paging. Without page/page_size the whole list comes back."""

    q = fields.String(validate=validate.Length(max=200), metadata={"description": "Search text"})
    sort = fields.String(validate=validate.OneOf(SORT_CHOICES), load_default="id")
