"""The order states, on their own so the models can name the default without a cycle
(the moves between them are in ``lifecycle.py``)."""

PENDING, PAID, SHIPPED, DELIVERED, CANCELLED = (
    "pending", "paid", "shipped", "delivered", "cancelled"
)
STATUSES = (PENDING, PAID, SHIPPED, DELIVERED, CANCELLED)
