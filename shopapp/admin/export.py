"""Every order line as CSV, streamed: rows come from the database in batches and leave
as text batch by batch, so memory stays flat however many orders there are.

Cells a spreadsheet would run as a formula are neutralised (OWASP's advice on CSV
injection): text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets
a leading single quote.
"""

import csv
import io
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from ..errors import BusinessRuleError
from ..models import Order, OrderItem, User

HEADER = ("order_id", "created_at", "status", "customer_email", "product_name", "quantity",
          "unit_price", "line_total")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BATCH_ROWS = 1000


def neutralise(cell):
    """``cell`` as text a spreadsheet shows as it is instead of evaluating it."""
    text = str(cell)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def filename(from_date=None, to_date=None):
    if from_date is None and to_date is None:
        return "orders.csv"
    return f"orders-{from_date or 'start'}-{to_date or 'end'}.csv"


def export_statement(from_date=None, to_date=None, status=None):
    """One row per order line, oldest order first; dates are inclusive UTC days."""
    if from_date and to_date and from_date > to_date:
        raise BusinessRuleError(f"'from' ({from_date}) is after 'to' ({to_date}).")
    statement = (
        select(Order.id, Order.created_at, Order.status, User.email, OrderItem.product_name,
               OrderItem.quantity, OrderItem.unit_price)
        .join(Order, Order.id == OrderItem.order_id)
        .join(User, User.id == Order.user_id)
    )
    if from_date is not None:
        statement = statement.where(Order.created_at >= datetime.combine(from_date, time(), UTC))
    if to_date is not None:
        day_after = datetime.combine(to_date + timedelta(days=1), time(), UTC)
        statement = statement.where(Order.created_at < day_after)
    if status:
        statement = statement.where(Order.status == status)
    return statement.order_by(Order.created_at, Order.id, OrderItem.id)


def csv_line(row):
    order_id, created_at, status, email, product_name, quantity, unit_price = row
    return (order_id, created_at.isoformat(), status, email, product_name, quantity,
            f"{unit_price:.2f}", f"{unit_price * quantity:.2f}")


def csv_chunks(session, statement, batch_rows=BATCH_ROWS):
    """The header, then one chunk of CSV text per batch of ``batch_rows`` rows.

    ``yield_per`` makes PostgreSQL use a server-side cursor and fetches in batches on both
    databases, so only one batch is held at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush():
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(HEADER)
    yield flush()
    result = session.execute(statement.execution_options(yield_per=batch_rows))
    for rows in result.partitions():
        writer.writerows([neutralise(cell) for cell in csv_line(row)] for row in rows)
        yield flush()
