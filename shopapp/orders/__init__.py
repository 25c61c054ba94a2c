"""Orders, under /api/v1/orders: checkout and what happens to an order afterwards.

``service``: checkout, all or nothing, never overselling, once per Idempotency-Key.
``statuses``: the order states. ``lifecycle``: the legal moves between them, each recorded
in the status history; a cancellation puts the stock back. ``routes`` and ``schemas``: the
shopper's HTTP side (the admin's is in ``admin``).
"""
