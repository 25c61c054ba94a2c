"""The stock ledger: every change to a product's stock appends one row per product.

Initial stock plus the sum of the deltas is the inventory count (``StockMovement``).
Admin edits, restocks, checkout, cancellation and the demo seed all write through
``record_stock_changes``, so a ledger row has one shape whoever writes it.
"""

from sqlalchemy import insert

from ..models import utcnow
from ..tables import STOCK_MOVEMENTS

INSERT_MOVEMENTS = insert(STOCK_MOVEMENTS)


def record_stock_changes(connection, changes, reason, user_id=None, order_id=None,
                         created_at=None):
    """Append a ledger row for each ``(product_id, delta, resulting_count)`` in ``changes``.

    ``connection``: the transaction's connection (``session.connection()``), so the rows
    commit or roll back with the stock change itself. One executemany for all rows.
    """
    created_at = created_at or utcnow()
    rows = [
        {"product_id": product_id, "delta": delta, "resulting_count": resulting_count,
         "reason": reason, "user_id": user_id, "order_id": order_id, "created_at": created_at}
        for product_id, delta, resulting_count in changes
    ]
    if rows:
        connection.execute(INSERT_MOVEMENTS, rows)
