"""Checkout: the cart becomes an order, all or nothing, and stock can never oversell."""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from functools import lru_cache
from types import SimpleNamespace

from sqlalchemy import (
    Integer,
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
from sqlalchemy.orm import selectinload

from ..cart.service import PRODUCT_KEYS, not_enough_stock, product_values
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


def claim_cart(user_id):
    """DELETE ... RETURNING of the cart's lines (product id, quantity); ``user_id`` is
    a bound parameter."""
    return (
        delete(CART_ITEMS)
        .where(CART_ITEMS.c.user_id == user_id)
        .returning(CART_ITEMS.c.product_id, CART_ITEMS.c.quantity)
    )


CLAIM_CART = claim_cart(bindparam("user_id"))
INSERT_ORDER = insert(ORDERS).returning(ORDERS.c.id)
# RETURNING order is not guaranteed for many rows: the product id tells the lines apart.
INSERT_ORDER_ITEMS = insert(ORDER_ITEMS).returning(ORDER_ITEMS.c.product_id, ORDER_ITEMS.c.id)
INSERT_CHECKOUT_HISTORY = insert(STATUS_HISTORY)

# An order's columns as the checkout is given them; the total is added up from the sale.
ORDER_INPUTS = ("user_id", "shipping_address", "idempotency_key", "status", "created_at")
LINE_COLUMNS = ("order_id", "product_id", "product_name", "quantity", "unit_price")
HISTORY_COLUMNS = ("order_id", "from_status", "to_status", "actor_id", "at")


@dataclass(frozen=True)
class Checkout:
    """What a checkout's statements did, for ``place_order`` to judge and answer.

    ``wanted``: the claimed cart, {product id: quantity} (empty: the cart was empty).
    ``sold``: the products whose stock went down, as ``product_values`` dicts after the
    decrement, in id order; fewer than ``wanted`` means nothing may be kept. ``order_id``,
    ``total`` and ``line_ids`` (by product id) are set once the order is written."""

    wanted: dict
    sold: list
    order_id: int | None = None
    total: Decimal | None = None
    line_ids: dict = field(default_factory=dict)


def _checkout_statement():
    """PostgreSQL: the whole checkout in one statement, one round trip.

    Data-modifying CTEs, in the order ``place_order``'s docstring gives:

    - ``claimed`` deletes the cart's lines (``claim_cart``);
    - ``locked`` locks their products in id order (``FOR UPDATE``), so racing checkouts
      wait for each other instead of deadlocking;
    - ``sold`` decrements only the rows with enough stock that are on sale; under READ
      COMMITTED that guard is evaluated again on the newest row version once the lock is
      held, so stock never goes negative;
    - ``new_order`` is inserted only when every claimed line was sold; then the lines
      (name and price frozen), their ledger rows and the first status change follow it.

    Parameters: ``ORDER_INPUTS``, each prefixed ``order_`` (the statement adds up the
    total). Returns one row per claimed line: ``product_id`` and ``quantity``, the
    product's columns after the sale (NULL when it was not sold), and ``order_id``,
    ``order_total`` and ``line_id`` (NULL unless the order was written). The caller rolls
    a refused checkout back.
    """
    # Prefixed: SQLAlchemy would take a parameter named like a products column (created_at)
    # as one more SET value of the UPDATE in ``sold``.
    order_values = {name: bindparam(f"order_{name}", type_=ORDERS.c[name].type)
                    for name in ORDER_INPUTS}
    claimed = claim_cart(order_values["user_id"]).cte("claimed")
    locked = (
        select(PRODUCTS.c.id)
        .where(PRODUCTS.c.id.in_(select(claimed.c.product_id)))
        .order_by(PRODUCTS.c.id)
        .with_for_update()
        .cte("locked")
    )
    sold = (
        update(PRODUCTS)
        .where(
            PRODUCTS.c.id == locked.c.id,
            PRODUCTS.c.id == claimed.c.product_id,
            PURCHASABLE,
            PRODUCTS.c.inventory_count >= claimed.c.quantity,
        )
        .values(inventory_count=PRODUCTS.c.inventory_count - claimed.c.quantity)
        .returning(*PRODUCTS.c, claimed.c.quantity.label("wanted"))
        .cte("sold")
    )
    sold_count = select(func.count()).select_from(sold).scalar_subquery()
    claimed_count = select(func.count()).select_from(claimed).scalar_subquery()
    order_values["total_amount"] = (
        select(func.sum(sold.c.price * sold.c.wanted)).scalar_subquery())
    new_order = (
        insert(ORDERS)
        .from_select(list(order_values), select(*order_values.values())
                     .where(sold_count == claimed_count, sold_count > 0))
        .returning(ORDERS.c.id, ORDERS.c.total_amount)
        .cte("new_order")
    )
    each_sold = new_order.join(sold, true())  # new_order is one row or none
    lines = (
        insert(ORDER_ITEMS)
        .from_select(LINE_COLUMNS, select(new_order.c.id, sold.c.id, sold.c.name,
                                          sold.c.wanted, sold.c.price).select_from(each_sold))
        .returning(ORDER_ITEMS.c.product_id, ORDER_ITEMS.c.id)
        .cte("lines")
    )
    user_id, created_at = order_values["user_id"], order_values["created_at"]
    movements = movements_from(
        select(sold.c.id, -sold.c.wanted, sold.c.inventory_count, literal("checkout"),
               user_id, new_order.c.id, created_at).select_from(each_sold)
    ).cte("movements")
    history = insert(STATUS_HISTORY).from_select(
        HISTORY_COLUMNS,
        select(new_order.c.id, None, order_values["status"], user_id, created_at),
    ).cte("history")
    return (
        select(claimed.c.product_id, claimed.c.quantity,
               *(sold.c[key] for key in PRODUCT_KEYS),
               new_order.c.id.label("order_id"), new_order.c.total_amount.label("order_total"),
               lines.c.id.label("line_id"))
        .select_from(
            claimed.outerjoin(sold, sold.c.id == claimed.c.product_id)
            .outerjoin(new_order, true())
            .outerjoin(lines, lines.c.product_id == claimed.c.product_id))
        .add_cte(movements, history)
    )


CHECKOUT = _checkout_statement()


def checkout_in_one_statement(connection, order):
    """``CHECKOUT`` run for ``order`` (its values but the total), as a Checkout."""
    rows = connection.execute(CHECKOUT, {f"order_{name}": order[name]
                                         for name in ORDER_INPUTS}).all()
    rows.sort(key=lambda row: row.product_id)
    sold = [product_values(row[2:2 + len(PRODUCT_KEYS)]) for row in rows
            if row.id is not None]
    written = rows[0] if rows and rows[0].order_id is not None else None
    return Checkout(
        wanted={row.product_id: row.quantity for row in rows}, sold=sold,
        order_id=written and written.order_id, total=written and written.order_total,
        line_ids={row.product_id: row.line_id for row in rows} if written else {},
    )


@lru_cache(maxsize=128)
def sell_statement(line_count):
    """The conditional stock decrement for ``line_count`` products, built once per count
    (SQLite's checkout; PostgreSQL's is inside ``CHECKOUT``).

    Parameters: ``ids`` (the product ids), and ``id_N`` / ``quantity_N`` per line."""
    wanted_for_row = case(*(
        (PRODUCTS.c.id == bindparam(f"id_{number}"),
         bindparam(f"quantity_{number}", type_=Integer))
        for number in range(line_count)
    ))
    return (
        update(PRODUCTS)
        .where(
            PRODUCTS.c.id.in_(bindparam("ids", expanding=True)),
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
    parameters = {"ids": ids}
    for number, product_id in enumerate(ids):
        parameters[f"id_{number}"] = product_id
        parameters[f"quantity_{number}"] = wanted[product_id]
    sold = connection.execute(sell_statement(len(ids)), parameters).all()
    return sorted(sold, key=lambda row: row.id)


def checkout_in_steps(connection, order):
    """The same as ``checkout_in_one_statement``, one statement per step (SQLite: the
    claim, the sale, then the order, its lines, their ledger rows and the history)."""
    wanted = dict(connection.execute(CLAIM_CART, {"user_id": order["user_id"]}).all())
    if not wanted:
        return Checkout(wanted={}, sold=[])
    sold = [product_values(row) for row in sell(connection, wanted)]
    if len(sold) != len(wanted):
        return Checkout(wanted=wanted, sold=sold)
    total = sum((product["price"] * wanted[product["id"]] for product in sold),
                Decimal("0.00"))
    order_id = connection.execute(INSERT_ORDER, {**order, "total_amount": total}).scalar_one()
    line_ids = dict(connection.execute(INSERT_ORDER_ITEMS, [
        {"order_id": order_id, "product_id": product["id"], "product_name": product["name"],
         "quantity": wanted[product["id"]], "unit_price": product["price"]}
        for product in sold
    ]).all())
    changes = [(product["id"], -wanted[product["id"]], product["inventory_count"])
               for product in sold]
    record_stock_changes(connection, changes, "checkout", user_id=order["user_id"],
                         order_id=order_id, created_at=order["created_at"])
    connection.execute(INSERT_CHECKOUT_HISTORY, {
        "order_id": order_id, "from_status": None, "to_status": order["status"],
        "actor_id": order["user_id"], "at": order["created_at"],
    })
    return Checkout(wanted=wanted, sold=sold, order_id=order_id, total=total,
                    line_ids=line_ids)


def new_order_values(user_id, shipping_address=None, idempotency_key=None):
    """A new order's ``ORDER_INPUTS``: pending, placed now, by ``user_id``."""
    return {"user_id": user_id, "shipping_address": shipping_address,
            "idempotency_key": idempotency_key, "status": PENDING, "created_at": utcnow()}


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
    SQLite; on PostgreSQL all three steps are one statement, ``CHECKOUT``) and answers
    from the values it wrote.
    """
    if idempotency_key:
        earlier = _order_for_key(session, user_id, idempotency_key, key_lifetime)
        if earlier is not None:
            return _replay(session, earlier, user_id)

    order = new_order_values(user_id, shipping_address, idempotency_key)
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        checkout = checkout_in_one_statement(connection, order)
    else:
        checkout = checkout_in_steps(connection, order)
    if not checkout.wanted:
        session.rollback()
        earlier = idempotency_key and _order_for_key(session, user_id, idempotency_key,
                                                     key_lifetime)
        if earlier:
            return earlier
        raise refusal(BusinessRuleError(EMPTY_CART), "empty_cart")
    if len(checkout.sold) != len(checkout.wanted):
        session.rollback()
        raise _why_not_sold(session, set(checkout.wanted) - {p["id"] for p in checkout.sold})
    session.commit()
    # The answer is the values written, read like an Order (attributes): no read-back,
    # and no second type to keep in step with the model's columns.
    items = [
        SimpleNamespace(id=checkout.line_ids[product["id"]], order_id=checkout.order_id,
                        product_id=product["id"], product_name=product["name"],
                        quantity=checkout.wanted[product["id"]], unit_price=product["price"],
                        product=product)
        for product in checkout.sold
    ]
    return SimpleNamespace(**order, id=checkout.order_id, total_amount=checkout.total,
                           items=items)


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
