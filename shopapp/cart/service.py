"""Cart rules: lines are per product, quantities never exceed the stock on hand.

GET /cart and POST /cart/items run on every visit and every add, so they use Core
statements built once and answer with plain values instead of ORM objects (read back
after the commit); docs/PERFORMANCE.md has the numbers.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache

from sqlalchemy import bindparam, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..errors import BusinessRuleError, NotFoundError
from ..models import CartItem
from ..tables import CART_ITEMS, PRODUCTS, is_deleted, is_purchasable

UPSERTS = {"sqlite": sqlite_insert, "postgresql": pg_insert}
PRODUCT_KEYS = tuple(column.key for column in PRODUCTS.c)

PRODUCT_ROW = select(PRODUCTS).where(PRODUCTS.c.id == bindparam("product_id"))
CART_ROWS = (
    select(CART_ITEMS.c.id, CART_ITEMS.c.quantity, CART_ITEMS.c.added_at, *PRODUCTS.c)
    .join(PRODUCTS, PRODUCTS.c.id == CART_ITEMS.c.product_id)
    .where(CART_ITEMS.c.user_id == bindparam("user_id"))
    .order_by(CART_ITEMS.c.id)
)


@dataclass(frozen=True)
class CartLine:
    """A cart line as the API shows it, the cart's one response type (every cart endpoint
    answers CartLine values, never ORM objects).

    Kept rather than an ORM ``CartItem`` because the hot paths read a flat Core row
    (line and product joined) and nest it here without an identity map; ``product`` maps
    every product column by name (``product_values``), so a new product column needs no
    edit here.
    """

    id: int
    quantity: int
    added_at: datetime
    product: dict


def product_values(row):
    return dict(zip(PRODUCT_KEYS, row, strict=True))


def object_values(product):
    """``product_values`` for an ORM Product."""
    return {key: getattr(product, key) for key in PRODUCT_KEYS}


def cart_lines(session, user_id):
    rows = session.connection().execute(CART_ROWS, {"user_id": user_id})
    return [CartLine(row[0], row[1], row[2], product_values(row[3:])) for row in rows]


def cart_summary(lines):
    subtotal = sum((line.product["price"] * line.quantity for line in lines), Decimal("0.00"))
    return {"items": lines, "subtotal": subtotal}


def not_enough_stock(product):
    return BusinessRuleError(f"Only {product.inventory_count} left for {product.name}")


def purchasable_product(connection, product_id):
    """The product's row, if it can be sold (a 400 otherwise)."""
    product = connection.execute(PRODUCT_ROW, {"product_id": product_id}).first()
    if product is None or is_deleted(product):
        raise BusinessRuleError("Product not found")
    if not is_purchasable(product):
        raise BusinessRuleError(f"{product.name} is not available")
    return product


@cache
def cart_upsert(dialect_name):
    """INSERT ... ON CONFLICT DO UPDATE adding to the line's quantity (built once)."""
    upsert = UPSERTS[dialect_name](CART_ITEMS)
    return upsert.on_conflict_do_update(
        index_elements=["user_id", "product_id"],
        set_={"quantity": CART_ITEMS.c.quantity + upsert.excluded.quantity},
    ).returning(CART_ITEMS.c.id, CART_ITEMS.c.quantity, CART_ITEMS.c.added_at)


def add_item(session, user_id, product_id, quantity):
    """Add ``quantity`` to the user's line for the product, creating it if needed.

    One INSERT ... ON CONFLICT DO UPDATE adds atomically, so racing adds all count; a line
    that ends up above the stock is rolled back. (The stock is only advisory here:
    checkout decrements it conditionally, so a stale read can never oversell.)
    """
    connection = session.connection()
    product = purchasable_product(connection, product_id)
    line_id, line_quantity, added_at = connection.execute(
        cart_upsert(connection.dialect.name),
        {"user_id": user_id, "product_id": product_id, "quantity": quantity},
    ).one()
    if line_quantity > product.inventory_count:
        session.rollback()
        raise not_enough_stock(product)
    session.commit()
    return CartLine(line_id, line_quantity, added_at, product_values(product))


def get_line(session, user_id, item_id):
    line = session.get(CartItem, item_id)
    if line is None or line.user_id != user_id:
        raise NotFoundError("Cart item not found")
    return line


def set_quantity(session, user_id, item_id, quantity):
    line = get_line(session, user_id, item_id)
    if quantity > line.product.inventory_count:
        raise not_enough_stock(line.product)
    line.quantity = quantity
    # Built before the commit expires the objects: no read-back.
    answer = CartLine(line.id, quantity, line.added_at, object_values(line.product))
    session.commit()
    return answer


def remove_item(session, user_id, item_id):
    line = get_line(session, user_id, item_id)
    session.execute(delete(CartItem).where(CartItem.id == line.id))
    session.commit()
