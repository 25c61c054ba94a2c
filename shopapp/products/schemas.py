from marshmallow import fields, validate

from ..api import Schema
from ..api.fields import IsoDateTime, Money, WholeNumber, positive_money
from ..api.pagination import PageQuerySchema
from ..api.text_fields import Identifier, Text

MAX_STOCK = 1_000_000_000


class ProductSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = Text(required=True, min_length=1, max_length=200)
    description = Text(load_default="", max_length=5000, multiline=True)
    price = Money(required=True, validate=positive_money())
    inventory_count = WholeNumber(load_default=0, validate=validate.Range(min=0, max=MAX_STOCK))
    image_url = Identifier(allow_none=True, max_length=500)
    is_active = fields.Boolean(load_default=True)
    created_at = IsoDateTime(dump_only=True)


class ProductUpdateSchema(ProductSchema):
    """Any subset of a product's fields."""

    name = Text(min_length=1, max_length=200)
    description = Text(max_length=5000, multiline=True)
    price = Money(validate=positive_money())
    inventory_count = WholeNumber(validate=validate.Range(min=0, max=MAX_STOCK))
    is_active = fields.Boolean()


SORT_CHOICES = ("id", "name", "-name", "price", "-price", "created_at", "-created_at")


class CatalogQuerySchema(PageQuerySchema):
    """Optional search, sort and paging. Without page/page_size the whole list comes back."""

    q = Text(max_length=200, metadata={"description": "Search text"})
    sort = Identifier(max_length=20, validate=validate.OneOf(SORT_CHOICES), load_default="id")
