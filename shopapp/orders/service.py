"""Checkout: the cart becomes an order, all or nothing, and stock can never oversell."""

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import case, delete, insert, select, update
from sqlalchemy.orm import selectinload

from ..cart.service import not_enough_stock
from ..errors import BusinessRuleError, ConflictError, NotFoundError
from ..models import CartItem, Order, OrderItem, Product, StockMovement, utcnow

EMPTY_CART = "Your cart is empty"
DEFAULT_KEY_LIFETIME = timedelta(hours=24)


def orders_statement(user_id=None):
    statement = select(Order).options(selectinload(Order.items))
    if user_id is not None:
        statement = statement.where(Order.user_id == user_id)
    return statement.order_by(Order.created_at.desc(), Order.id.desc())


def get_order(session, order_id, user_id=None):
    """One order; another user's order is simply 'not found'."""
    order = session.get(Order, order_id)
    if order is None or (user_id is not None and order.user_id != user_id):
        raise NotFoundError("Order not found")
    return order


def _order_for_key(session, user_id, key, lifetime):
    """The order an Idempotency-Key already made, if it is still within its lifetime.

    An expired key is released (cleared on its old order) so it can be used again.
    """
    order = session.scalar(
        select(Order).where(Order.user_id == user_id, Order.idempotency_key == key)
    )
    if order is not None and order.created_at < utcnow() - lifetime:
        order.idempotency_key = None
        session.commit()
        return None
    return order


def _same_lines(order, cart):
    return sorted((item.product_id, item.quantity) for item in order.items) == sorted(cart)


def _replay(session, order, user_id):
    """A retried request: the first order, unless the cart now holds something else."""
    cart = session.execute(
        select(CartItem.product_id, CartItem.quantity).where(CartItem.user_id == user_id)
    ).all()
    if cart and not _same_lines(order, [tuple(row) for row in cart]):
        raise ConflictError(
            "This Idempotency-Key was already used for a different order; "
            "use a new key for a new checkout."
        )
    return order


def place_order(session, user_id, shipping_address=None, idempotency_key=None,
                key_lifetime=DEFAULT_KEY_LIFETIME):
    """Turn the user's cart into an order in one transaction.

    1. Claim the cart by deleting its lines (``DELETE ... RETURNING``): of two checkouts
       racing on one cart, only one gets the lines; the other finds the cart empty.
    2. Decrement every line's stock in one conditional UPDATE that only touches rows with
       enough stock; fewer rows updated than lines means something ran out, and the
       rollback restores the cart and every decrement.
    3. Write the order, its lines (name and price frozen) and the stock movements.
    """
    if idempotency_key:
        earlier = _order_for_key(session, user_id, idempotency_key, key_lifetime)
        if earlier is not None:
            return _replay(session, earlier, user_id)

    claimed = session.execute(
        delete(CartItem)
        .where(CartItem.user_id == user_id)
        .returning(CartItem.product_id, CartItem.quantity)
    ).all()
    if not claimed:
        session.rollback()
        earlier = idempotency_key and _order_for_key(session, user_id, idempotency_key,
                                                     key_lifetime)
        if earlier:
            return earlier
        raise BusinessRuleError(EMPTY_CART)

    wanted = {product_id: quantity for product_id, quantity in claimed}
    ids = sorted(wanted)
    wanted_for_row = case(wanted, value=Product.id)
    # Lock the rows in id order first so racing checkouts on PostgreSQL cannot deadlock
    # (a no-op on SQLite, whose writers are already serialised).
    session.execute(select(Product.id).where(Product.id.in_(ids)).order_by(Product.id)
                    .with_for_update())
    sold = session.execute(
        update(Product)
        .where(
            Product.id.in_(ids),
            Product.is_active.is_(True),
            Product.deleted_at.is_(None),
            Product.inventory_count >= wanted_for_row,
        )
        .values(inventory_count=Product.inventory_count - wanted_for_row)
        .returning(Product.id, Product.name, Product.price, Product.inventory_count)
        .execution_options(synchronize_session=False)
    ).all()
    if len(sold) != len(ids):
        session.rollback()
        raise _why_not_sold(session, set(ids) - {row.id for row in sold})

    sold.sort(key=lambda row: row.id)
    total = sum((row.price * wanted[row.id] for row in sold), Decimal("0.00"))
    order = Order(
        user_id=user_id,
        total_amount=total,
        shipping_address=shipping_address,
        idempotency_key=idempotency_key,
        status="pending",
    )
    session.add(order)
    session.flush()
    session.execute(
        insert(OrderItem),
        [
            {"order_id": order.id, "product_id": row.id, "product_name": row.name,
             "quantity": wanted[row.id], "unit_price": row.price}
            for row in sold
        ],
    )
    session.execute(
        insert(StockMovement),
        [
            {"product_id": row.id, "delta": -wanted[row.id], "resulting_count": row.inventory_count,
             "reason": "checkout", "user_id": user_id, "order_id": order.id}
            for row in sold
        ],
    )
    session.commit()
    return session.scalar(orders_statement().where(Order.id == order.id))


def _why_not_sold(session, product_ids):
    product = session.get(Product, min(product_ids))
    if product is None or product.deleted_at is not None or not product.is_active:
        name = product.name if product is not None else "A product"
        return BusinessRuleError(f"{name} is no longer available; remove it from your cart")
    return not_enough_stock(product)
