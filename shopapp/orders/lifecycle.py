"""Order states and the moves between them; a cancellation puts the stock back."""

from sqlalchemy import case, insert, update

from ..errors import BusinessRuleError
from ..models import Order, OrderStatusChange, Product, utcnow
from ..products.ledger import record_stock_changes
from .statuses import CANCELLED, DELIVERED, PAID, PENDING, SHIPPED, STATUSES  # noqa: F401

NEXT_STATES = {
    PENDING: (PAID, CANCELLED),
    PAID: (SHIPPED, CANCELLED),
    SHIPPED: (DELIVERED,),
    DELIVERED: (),
    CANCELLED: (),
}
# Shoppers may only cancel their own order, and only before it is paid.
SHOPPER_CANCELLABLE = (PENDING,)


def allowed_next(status):
    return NEXT_STATES[status]


def illegal_move(order, new_status):
    allowed = allowed_next(order.status)
    choices = ", ".join(allowed) if allowed else "none (final state)"
    return BusinessRuleError(
        f"Order {order.id} is {order.status}; it cannot become {new_status}. "
        f"Allowed next states: {choices}."
    )


def change_status(session, order, new_status, actor_id=None, from_states=None):
    """Move ``order`` to ``new_status`` if that is a legal move from its current state.

    The move is a conditional UPDATE on the old status, so of two racing changes only one
    applies; the status history row (by ``actor_id``) and, for a cancellation, every
    line's restocking are written in the same transaction.
    """
    from_states = from_states or tuple(s for s, nexts in NEXT_STATES.items() if new_status in nexts)
    if order.status not in from_states or new_status not in allowed_next(order.status):
        raise illegal_move(order, new_status)
    moved = session.execute(
        update(Order)
        .where(Order.id == order.id, Order.status == order.status)
        .values(status=new_status)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not moved:  # someone else changed it first
        session.rollback()
        session.refresh(order)
        raise illegal_move(order, new_status)
    session.execute(insert(OrderStatusChange).values(
        order_id=order.id, from_status=order.status, to_status=new_status, actor_id=actor_id,
        at=utcnow(),
    ))
    if new_status == CANCELLED:
        _restock(session, order, actor_id)
    session.commit()
    session.refresh(order)
    return order


def _restock(session, order, actor_id):
    quantities = {item.product_id: item.quantity for item in order.items}
    by_row = case(quantities, value=Product.id)
    restocked = session.execute(
        update(Product)
        .where(Product.id.in_(sorted(quantities)))
        .values(inventory_count=Product.inventory_count + by_row)
        .returning(Product.id, Product.inventory_count)
        .execution_options(synchronize_session=False)
    ).all()
    record_stock_changes(
        session.connection(),
        [(product_id, quantities[product_id], count) for product_id, count in restocked],
        "order cancelled", user_id=actor_id, order_id=order.id,
    )


def cancel(session, order, actor_id, by_admin):
    from_states = (PENDING, PAID) if by_admin else SHOPPER_CANCELLABLE
    if order.status not in from_states:
        if not by_admin and order.status == PAID:
            raise BusinessRuleError(
                f"Order {order.id} is already paid; ask the shop to cancel it."
            )
        raise illegal_move(order, CANCELLED)
    return change_status(session, order, CANCELLED, actor_id, from_states)
