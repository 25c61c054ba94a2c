"""Checkout: the cart becomes an order, all or nothing, and stock can never oversell."""

from datetime import timedelta
from decimal import Decimal
from functools import lru_cache
from types import SimpleNamespace

from sqlalchemy import (
    Integer,
    Numeric,
    String,
    bindparam,
    case,
    delete,
    func,
    insert,
    literal,
    select,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import selectinload

from ..cart.service import not_enough_stock, product_values
from ..errors import BusinessRuleError, ConflictError, NotFoundError
from ..models import CartItem, Order, OrderStatusChange, Product, utcnow
from ..products.ledger import movements_from, record_stock_changes
from ..tables import CART_ITEMS, ORDER_ITEMS, ORDERS, PRODUCTS, PURCHASABLE, is_purchasable
from .statuses import PENDING

EMPTY_CART = "Your cart is empty"


def refusal(error, reason):
    """Tag a checkout's domain error with why it was refused (the metrics count it)."""
    error.checkout_refusal = reason
    return error
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
        conflict = ConflictError("This Idempotency-Key was already used for a different "
                                 "order; use a new key for a new checkout.")
        raise refusal(conflict, "idempotency_conflict")
    return order


STATUS_HISTORY = OrderStatusChange.__table__
CLAIM_CART = (
    delete(CART_ITEMS)
    .where(CART_ITEMS.c.user_id == bindparam("user_id"))
    .returning(CART_ITEMS.c.product_id, CART_ITEMS.c.quantity)
)
INSERT_ORDER = insert(ORDERS).returning(ORDERS.c.id)
# RETURNING order is not guaranteed for many rows: the product id tells the lines apart.
INSERT_ORDER_ITEMS = insert(ORDER_ITEMS).returning(ORDER_ITEMS.c.product_id, ORDER_ITEMS.c.id)
INSERT_CHECKOUT_HISTORY = insert(STATUS_HISTORY)
# PostgreSQL: the rows are locked in id order inside the sell statement (a CTE), so
# racing checkouts cannot deadlock; SQLite serialises writers anyway.
LOCK_PRODUCTS = (
    select(PRODUCTS.c.id)
    .where(PRODUCTS.c.id.in_(bindparam("ids", expanding=True)))
    .order_by(PRODUCTS.c.id)
    .with_for_update()
)


ORDER_COLUMNS = ("user_id", "total_amount", "shipping_address", "idempotency_key", "status",
                 "created_at")


def _order_in_one_statement():
    """PostgreSQL: the order, its lines, their ledger rows and the first status change,
    written by one statement (data-modifying CTEs) instead of four round trips.

    The lines come as arrays (``unnest``), so the statement is the same for any number of
    lines and is prepared once. Parameters: the order's columns, and ``line_product_ids``,
    ``line_names``, ``line_quantities``, ``line_prices`` and ``line_counts_after``. Returns
    one row per line: the order id, the product id and the line's id."""
    new_order = insert(ORDERS).values(
        {name: bindparam(name, type_=ORDERS.c[name].type) for name in ORDER_COLUMNS}
    ).returning(ORDERS.c.id).cte("new_order")
    line = func.unnest(
        bindparam("line_product_ids", type_=ARRAY(Integer)),
        bindparam("line_names", type_=ARRAY(String)),
        bindparam("line_quantities", type_=ARRAY(Integer)),
        bindparam("line_prices", type_=ARRAY(Numeric)),
        bindparam("line_counts_after", type_=ARRAY(Integer)),
    ).table_valued("product_id", "product_name", "quantity", "unit_price",
                   "resulting_count").render_derived(name="line")
    lines = insert(ORDER_ITEMS).from_select(
        ["order_id", "product_id", "product_name", "quantity", "unit_price"],
        select(new_order.c.id, line.c.product_id, line.c.product_name, line.c.quantity,
               line.c.unit_price).select_from(new_order.join(line, true())),
    ).returning(ORDER_ITEMS.c.product_id, ORDER_ITEMS.c.id).cte("lines")
    created_at = bindparam("created_at", type_=ORDERS.c.created_at.type)
    user_id = bindparam("user_id", type_=ORDERS.c.user_id.type)
    movements = movements_from(
        select(line.c.product_id, -line.c.quantity, line.c.resulting_count,
               literal("checkout"), user_id, new_order.c.id, created_at)
        .select_from(new_order.join(line, true()))
    ).cte("movements")
    history = insert(STATUS_HISTORY).from_select(
        ["order_id", "from_status", "to_status", "actor_id", "at"],
        select(new_order.c.id, None, bindparam("status", type_=ORDERS.c.status.type),
               user_id, created_at),
    ).cte("history")
    # new_order is one row: joining it to every line on TRUE is what is meant.
    return (select(new_order.c.id, lines.c.product_id, lines.c.id)
            .select_from(new_order.join(lines, true()))
            .add_cte(movements, history))


WRITE_ORDER = _order_in_one_statement()


@lru_cache(maxsize=128)
def sell_statement(line_count, lock_first=False):
    """The conditional stock decrement for ``line_count`` products, built once per count.

    Parameters: ``ids`` (the product ids), and ``id_N`` / ``quantity_N`` per line. With
    ``lock_first`` the statement begins ``WITH locked AS (SELECT ... ORDER BY id FOR
    UPDATE)`` and updates only the locked rows: the id-order locking that keeps racing
    checkouts from deadlocking, in the same round trip as the decrement. Under READ
    COMMITTED the guard (``inventory_count >= wanted``) is evaluated again on the newest
    row version once the lock is held, so stock never goes negative."""
    wanted_for_row = case(*(
        (PRODUCTS.c.id == bindparam(f"id_{number}"),
         bindparam(f"quantity_{number}", type_=Integer))
        for number in range(line_count)
    ))
    if lock_first:
        locked = LOCK_PRODUCTS.cte("locked")
        chosen = PRODUCTS.c.id == locked.c.id
    else:
        chosen = PRODUCTS.c.id.in_(bindparam("ids", expanding=True))
    return (
        update(PRODUCTS)
        .where(
            chosen,
            PURCHASABLE,
            PRODUCTS.c.inventory_count >= wanted_for_row,
        )
        .values(inventory_count=PRODUCTS.c.inventory_count - wanted_for_row)
        .returning(*PRODUCTS.c)
    )


def sell(connection, wanted):
    """Decrement the stock of every ``{product_id: quantity}`` in one conditional UPDATE.

    Returns the products' rows after the decrement, by id; fewer rows than products means
    something ran out or went off sale, and nothing may be kept."""
    ids = sorted(wanted)
    lock_first = connection.dialect.name == "postgresql"  # see LOCK_PRODUCTS
    parameters = {"ids": ids}
    for number, product_id in enumerate(ids):
        parameters[f"id_{number}"] = product_id
        parameters[f"quantity_{number}"] = wanted[product_id]
    sold = connection.execute(sell_statement(len(ids), lock_first), parameters).all()
    return sorted(sold, key=lambda row: row.id)


def _write_order(connection, order, lines, changes):
    """Insert the order, its lines, their ledger rows and the first status change (four
    statements); return the order id and the line ids by product id."""
    order_id = connection.execute(INSERT_ORDER, order).scalar_one()
    line_ids = dict(connection.execute(
        INSERT_ORDER_ITEMS, [{**line, "order_id": order_id} for line in lines]).all())
    record_stock_changes(connection, changes, "checkout", user_id=order["user_id"],
                         order_id=order_id, created_at=order["created_at"])
    connection.execute(INSERT_CHECKOUT_HISTORY, {
        "order_id": order_id, "from_status": None, "to_status": order["status"],
        "actor_id": order["user_id"], "at": order["created_at"],
    })
    return order_id, line_ids


def _write_order_in_one_statement(connection, order, lines, changes):
    """The same as ``_write_order``, in one round trip (PostgreSQL: WRITE_ORDER)."""
    rows = connection.execute(WRITE_ORDER, {
        **{name: order[name] for name in ORDER_COLUMNS},
        "line_product_ids": [line["product_id"] for line in lines],
        "line_names": [line["product_name"] for line in lines],
        "line_quantities": [line["quantity"] for line in lines],
        "line_prices": [line["unit_price"] for line in lines],
        "line_counts_after": [count for _, _, count in changes],
    }).all()
    return rows[0][0], {product_id: line_id for _, product_id, line_id in rows}


def place_order(session, user_id, shipping_address=None, idempotency_key=None,
                key_lifetime=DEFAULT_KEY_LIFETIME):
    """Turn the user's cart into an order in one transaction.

    1. Claim the cart by deleting its lines (``DELETE ... RETURNING``): of two checkouts
       racing on one cart, only one gets the lines; the other finds the cart empty.
    2. Decrement every line's stock in one conditional UPDATE that only touches rows with
       enough stock; fewer rows updated than lines means something ran out, and the
       rollback restores the cart and every decrement.
    3. Write the order, its lines (name and price frozen), the stock movements and the
       first status history row (from none to pending, by the shopper).

    Checkout is the shop's busiest write, so it runs Core statements built once (six on
    SQLite; three on PostgreSQL, where step 3 is one statement) and answers from the
    values it wrote.
    """
    if idempotency_key:
        earlier = _order_for_key(session, user_id, idempotency_key, key_lifetime)
        if earlier is not None:
            return _replay(session, earlier, user_id)

    connection = session.connection()
    claimed = connection.execute(CLAIM_CART, {"user_id": user_id}).all()
    if not claimed:
        session.rollback()
        earlier = idempotency_key and _order_for_key(session, user_id, idempotency_key,
                                                     key_lifetime)
        if earlier:
            return earlier
        raise refusal(BusinessRuleError(EMPTY_CART), "empty_cart")

    wanted = dict(claimed)
    sold = sell(connection, wanted)
    if len(sold) != len(wanted):
        session.rollback()
        raise _why_not_sold(session, set(wanted) - {row.id for row in sold})

    total = sum((row.price * wanted[row.id] for row in sold), Decimal("0.00"))
    order = {
        "user_id": user_id, "total_amount": total, "shipping_address": shipping_address,
        "idempotency_key": idempotency_key, "status": PENDING, "created_at": utcnow(),
    }
    lines = [
        {"product_id": row.id, "product_name": row.name, "quantity": wanted[row.id],
         "unit_price": row.price}
        for row in sold
    ]
    changes = [(row.id, -wanted[row.id], row.inventory_count) for row in sold]
    if connection.dialect.name == "postgresql":
        order["id"], line_ids = _write_order_in_one_statement(connection, order, lines, changes)
    else:
        order["id"], line_ids = _write_order(connection, order, lines, changes)
    for line in lines:
        line["order_id"] = order["id"]
    session.commit()
    # The answer is the values written, read like an Order (attributes): no read-back,
    # and no second type to keep in step with the model's columns.
    items = [
        SimpleNamespace(**line, id=line_ids[row.id], product=product_values(row))
        for line, row in zip(lines, sold, strict=True)
    ]
    return SimpleNamespace(**order, items=items)



def is_replay(order):
    """Whether ``place_order`` answered an earlier order (its Idempotency-Key's): that is
    a stored Order, while a new order is answered from the values written."""
    return isinstance(order, Order)


def _why_not_sold(session, product_ids):
    product = session.get(Product, min(product_ids))
    if product is None or not is_purchasable(product):
        name = product.name if product is not None else "A product"
        return refusal(BusinessRuleError(f"{name} is no longer available; remove it from "
                                         "your cart"), "unavailable")
    return refusal(not_enough_stock(product), "out_of_stock")
