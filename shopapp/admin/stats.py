"""The shop at a glance: sales per UTC day, orders by status, top sellers and low stock.

Every figure is one aggregate query over an index (``ix_orders_created_status_total``
for the window, ``ix_orders_status_created`` for what is left to ship), so the cost
stays a fixed number of statements however many orders there are (docs/PERFORMANCE.md).
Cancelled orders count nowhere in revenue, order counts or top sellers.
"""

from datetime import UTC, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select

from ..database.dates import utc_date
from ..models import MONEY, Order, OrderItem, Product
from ..orders.lifecycle import CANCELLED, PAID, PENDING, STATUSES
from ..tables import PURCHASABLE

DEFAULT_DAYS = 30
MAX_DAYS = 366
TOP_PRODUCTS = 5
AWAITING_SHIPMENT = (PENDING, PAID)
ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def window(today, days):
    """The first and last UTC day of the ``days`` days ending with ``today``."""
    return today - timedelta(days=days - 1), today


def window_bounds(start, end):
    """[start 00:00 UTC, the day after end 00:00 UTC): the timestamps inside the window."""
    return (datetime.combine(start, time(), UTC),
            datetime.combine(end + timedelta(days=1), time(), UTC))


def average(revenue, orders):
    if not orders:
        return ZERO
    return (revenue / orders).quantize(CENT, rounding=ROUND_HALF_UP)


def money(value):
    return ZERO if value is None else Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def zero_filled_days(start, days, sales):
    """One entry per day from ``start``, oldest first; ``sales`` maps day -> (orders, revenue)."""
    daily = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        orders, revenue = sales.get(day, (0, ZERO))
        daily.append({"date": day, "orders": orders, "revenue": money(revenue)})
    return daily


def in_window(begin, finish):
    return (Order.created_at >= begin, Order.created_at < finish)


def daily_sales(session, begin, finish):
    """{day: (orders, revenue)} for the days that had a sale that was not cancelled."""
    day = utc_date(Order.created_at).label("day")
    rows = session.execute(
        select(day, func.count(), func.sum(Order.total_amount, type_=MONEY))
        .where(*in_window(begin, finish), Order.status != CANCELLED)
        .group_by(day)
    ).all()
    return {row[0]: (row[1], row[2]) for row in rows}


def orders_by_status(session, begin, finish):
    counts = dict(session.execute(
        select(Order.status, func.count()).where(*in_window(begin, finish))
        .group_by(Order.status)
    ).all())
    return {status: counts.get(status, 0) for status in STATUSES}


def awaiting_shipment(session):
    """Orders still to ship, whenever they were placed."""
    return session.scalar(
        select(func.count()).select_from(Order).where(Order.status.in_(AWAITING_SHIPMENT))
    )


def top_products(session, begin, finish, by):
    """The best sellers of the window by "units" or "revenue" (ties by product id)."""
    units = func.sum(OrderItem.quantity).label("units")
    revenue = func.sum(OrderItem.quantity * OrderItem.unit_price, type_=MONEY).label("revenue")
    rows = session.execute(
        select(OrderItem.product_id, Product.name, units, revenue)
        .join(Order, Order.id == OrderItem.order_id)
        .join(Product, Product.id == OrderItem.product_id)
        .where(*in_window(begin, finish), Order.status != CANCELLED)
        .group_by(OrderItem.product_id, Product.name)
        .order_by((units if by == "units" else revenue).desc(), OrderItem.product_id)
        .limit(TOP_PRODUCTS)
    ).all()
    return [{"product_id": row.product_id, "name": row.name, "units": row.units,
             "revenue": money(row.revenue)} for row in rows]


def low_stock(session, threshold):
    """Active products with ``threshold`` units or fewer, lowest stock first."""
    rows = session.execute(
        select(Product.id, Product.name, Product.inventory_count)
        .where(PURCHASABLE, Product.inventory_count <= threshold)
        .order_by(Product.inventory_count, Product.id)
    ).all()
    return [{"id": row.id, "name": row.name, "stock": row.inventory_count} for row in rows]


def shop_stats(session, today, days=DEFAULT_DAYS, low_stock_threshold=5):
    """The dashboard's figures for the ``days`` UTC days ending with ``today``."""
    start, end = window(today, days)
    begin, finish = window_bounds(start, end)
    daily = zero_filled_days(start, days, daily_sales(session, begin, finish))
    order_count = sum(entry["orders"] for entry in daily)
    revenue = sum((entry["revenue"] for entry in daily), ZERO)
    return {
        "days": days,
        "start": start,
        "end": end,
        "daily": daily,
        "totals": {"orders": order_count, "revenue": revenue,
                   "average_order_value": average(revenue, order_count)},
        "orders_by_status": orders_by_status(session, begin, finish),
        "awaiting_shipment": awaiting_shipment(session),
        "top_products_by_units": top_products(session, begin, finish, by="units"),
        "top_products_by_revenue": top_products(session, begin, finish, by="revenue"),
        "low_stock_threshold": low_stock_threshold,
        "low_stock": low_stock(session, low_stock_threshold),
    }
