"""Cart rules: lines are per product, quantities never exceed the stock on hand."""

from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..errors import BusinessRuleError, NotFoundError
from ..models import CartItem, Product

UPSERTS = {"sqlite": sqlite_insert, "postgresql": pg_insert}


def cart_lines(session, user_id):
    return session.scalars(
        select(CartItem).where(CartItem.user_id == user_id).order_by(CartItem.id)
    ).all()


def cart_summary(lines):
    subtotal = sum((line.product.price * line.quantity for line in lines), Decimal("0.00"))
    return {"items": lines, "subtotal": subtotal}


def not_enough_stock(product):
    return BusinessRuleError(f"Only {product.inventory_count} left for {product.name}")


def purchasable_product(session, product_id):
    product = session.get(Product, product_id)
    if product is None or product.deleted_at is not None:
        raise BusinessRuleError("Product not found")
    if not product.is_active:
        raise BusinessRuleError(f"{product.name} is not available")
    return product


def add_item(session, user_id, product_id, quantity):
    """Add ``quantity`` to the user's line for the product, creating it if needed.

    One INSERT ... ON CONFLICT DO UPDATE adds atomically, so racing adds all count; the
    stock check then sees the line's final quantity and undoes the add when it is too much.
    """
    purchasable_product(session, product_id)
    upsert = UPSERTS[session.get_bind().dialect.name](CartItem.__table__)
    statement = upsert.values(user_id=user_id, product_id=product_id, quantity=quantity)
    statement = statement.on_conflict_do_update(
        index_elements=["user_id", "product_id"],
        set_={"quantity": CartItem.__table__.c.quantity + statement.excluded.quantity},
    ).returning(CartItem.__table__.c.id, CartItem.__table__.c.quantity)
    line_id, line_quantity = session.execute(statement).one()
    stock = session.scalar(select(Product.inventory_count).where(Product.id == product_id))
    if line_quantity > stock:
        session.rollback()
        raise not_enough_stock(session.get(Product, product_id))
    session.commit()
    return session.get(CartItem, line_id)


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
    session.commit()
    return line


def remove_item(session, user_id, item_id):
    line = get_line(session, user_id, item_id)
    session.execute(delete(CartItem).where(CartItem.id == line.id))
    session.commit()
