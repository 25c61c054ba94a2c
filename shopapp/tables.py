"""The tables as Core objects, and the SQL rules several resources share.

Hot paths (the cart, checkout, the caller's identity) run Core statements on these
tables; the ORM models in ``models.py`` stay the one definition of each table.
A rule about rows that more than one resource needs is written here once, both as SQL
(for ``WHERE``) and as a Python check on a row already read (for the error message).
"""

from sqlalchemy import and_

from .models import CartItem, Order, OrderItem, Product, StockMovement, User

USERS = User.__table__
PRODUCTS = Product.__table__
CART_ITEMS = CartItem.__table__
ORDERS = Order.__table__
ORDER_ITEMS = OrderItem.__table__
STOCK_MOVEMENTS = StockMovement.__table__

# A soft-deleted product is hidden everywhere (order history keeps it).
NOT_DELETED = PRODUCTS.c.deleted_at.is_(None)
# A product can be shown to shoppers, put in a cart and sold: active and not deleted.
PURCHASABLE = and_(NOT_DELETED, PRODUCTS.c.is_active.is_(True))


def is_deleted(product):
    return product.deleted_at is not None


def is_purchasable(product):
    """PURCHASABLE for a product row or object already read."""
    return product.is_active and product.deleted_at is None
