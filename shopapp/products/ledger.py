"""The stock ledger: every change to a product's stock appends one row per product.

Initial stock plus the sum of the deltas is the inventory count (``StockMovement``).
Admin edits, restocks, checkout, cancellation and the demo seed all write through
``record_stock_changes``, so a ledger row has one shape whoever writes it. Checkout on
PostgreSQL writes its rows inside its one order statement, with ``movements_from`` below:
the same columns, filled from the checkout's own values.
"""

from sqlalchemy import insert

from ..models import utcnow
from ..tables import STOCK_MOVEMENTS

INSERT_MOVEMENTS = insert(STOCK_MOVEMENTS)
LEDGER_COLUMNS = ("product_id", "delta", "resulting_count", "reason", "user_id", "order_id",
                  "created_at")


def record_stock_changes(connection, changes, reason, user_id=None, order_id=None,
                         created_at=None):
    """Append a ledger row for each ``(product_id, delta, resulting_count)`` in ``changes``.

    ``connection``: the transaction's connection (``session.connection()``), so the rows
    commit or roll back with the stock change itself. One executemany for all rows.
    """
    created_at = created_at or utcnow()
    rows = [
        dict(zip(LEDGER_COLUMNS, (product_id, delta, resulting_count, reason, user_id,
                                  order_id, created_at), strict=True))
        for product_id, delta, resulting_count in changes
    ]
    if rows:
        connection.execute(INSERT_MOVEMENTS, rows)


def movements_from(rows):
    """``INSERT ... SELECT`` of ledger rows, for use inside a larger statement.

    ``rows``: a SELECT of the values in ``LEDGER_COLUMNS`` order."""
    return insert(STOCK_MOVEMENTS).from_select(LEDGER_COLUMNS, rows)
