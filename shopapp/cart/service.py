"""Cart rules: lines are per product, quantities never exceed the stock on hand.

GET /cart and POST /cart/items run on every visit and every add, so they use Core
statements built once and answer with plain values instead of ORM objects (read back
after the commit); on PostgreSQL the add is one statement. docs/PERFORMANCE.md has the
numbers.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache
from types import SimpleNamespace

from sqlalchemy import Integer, bindparam, delete, select, true
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..errors import BusinessRuleError, NotFoundError
from ..models import CartItem, utcnow
from ..tables import CART_ITEMS, PRODUCTS, PURCHASABLE, is_deleted, is_purchasable

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


def check_purchasable(product):
    """A 400 unless ``product`` (a row, or None) exists and can be sold."""
    if product is None or is_deleted(product):
        raise BusinessRuleError("Product not found")
    if not is_purchasable(product):
        raise BusinessRuleError(f"{product.name} is not available")


def purchasable_product(connection, product_id):
    """The product's row, if it can be sold (a 400 otherwise)."""
    product = connection.execute(PRODUCT_ROW, {"product_id": product_id}).first()
    check_purchasable(product)
    return product


def adding_to_the_line(upsert):
    """``upsert`` (an INSERT into cart_items) made to add to an existing line's quantity,
    returning the line's id, quantity and ``added_at``."""
    return upsert.on_conflict_do_update(
        index_elements=["user_id", "product_id"],
        set_={"quantity": CART_ITEMS.c.quantity + upsert.excluded.quantity},
    ).returning(CART_ITEMS.c.id, CART_ITEMS.c.quantity, CART_ITEMS.c.added_at)


@cache
def cart_upsert(dialect_name):
    """INSERT ... ON CONFLICT DO UPDATE adding to the line's quantity (built once)."""
    return adding_to_the_line(UPSERTS[dialect_name](CART_ITEMS))


def _add_statement():
    """PostgreSQL: ``add_item``'s product read and upsert in one statement (one round
    trip): ``product`` reads the row, ``line`` upserts only when it can be sold.

    Parameters ``add_user_id``, ``add_product_id``, ``add_quantity`` and ``add_at`` (a
    new line's ``added_at``). Returns the product's columns, then ``line_id``,
    ``line_quantity`` and ``line_added_at`` (NULL when nothing was added); no row when
    there is no such product. The stock check stays in ``add_item``, as on SQLite."""
    user_id = bindparam("add_user_id", type_=Integer)
    product_id = bindparam("add_product_id", type_=Integer)
    product = select(PRODUCTS).where(PRODUCTS.c.id == product_id).cte("product")
    upsert = pg_insert(CART_ITEMS).from_select(
        ["user_id", "product_id", "quantity", "added_at"],
        select(user_id, PRODUCTS.c.id, bindparam("add_quantity", type_=Integer),
               bindparam("add_at", type_=CART_ITEMS.c.added_at.type))
        .where(PRODUCTS.c.id == product_id, PURCHASABLE),
    )
    line = adding_to_the_line(upsert).cte("line")
    return select(*product.c, line.c.id.label("line_id"),
                  line.c.quantity.label("line_quantity"),
                  line.c.added_at.label("line_added_at")
                  ).select_from(product.outerjoin(line, true()))


ADD_IN_ONE_STATEMENT = _add_statement()


def _add_in_steps(connection, user_id, product_id, quantity):
    """The product's row and the line after the upsert (SQLite: two statements)."""
    product = purchasable_product(connection, product_id)
    line = connection.execute(
        cart_upsert(connection.dialect.name),
        {"user_id": user_id, "product_id": product_id, "quantity": quantity},
    ).one()
    return product_values(product), tuple(line)


def _add_in_one_statement(connection, user_id, product_id, quantity):
    """The same as ``_add_in_steps`` (PostgreSQL: ADD_IN_ONE_STATEMENT)."""
    row = connection.execute(ADD_IN_ONE_STATEMENT, {
        "add_user_id": user_id, "add_product_id": product_id, "add_quantity": quantity,
        "add_at": utcnow(),
    }).first()
    check_purchasable(row)
    return product_values(row[:len(PRODUCT_KEYS)]), (row.line_id, row.line_quantity,
                                                     row.line_added_at)


def add_item(session, user_id, product_id, quantity):
    """Add ``quantity`` to the user's line for the product, creating it if needed.

    One INSERT ... ON CONFLICT DO UPDATE adds atomically, so racing adds all count; a line
    that ends up above the stock is rolled back. (The stock is only advisory here:
    checkout decrements it conditionally, so a stale read can never oversell.)
    """
    connection = session.connection()
    add = _add_in_one_statement if connection.dialect.name == "postgresql" else _add_in_steps
    product, (line_id, line_quantity, added_at) = add(connection, user_id, product_id,
                                                      quantity)
    if line_quantity > product["inventory_count"]:
        session.rollback()
        raise not_enough_stock(SimpleNamespace(**product))
    session.commit()
    return CartLine(line_id, line_quantity, added_at, product)


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
