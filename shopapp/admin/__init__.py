"""The back office, under /api/v1/admin: admins only.

``service``: role changes that never leave the shop without an admin, and the store reset.
``stats``: the dashboard's figures, one indexed aggregate each. ``export``: order lines as
streamed, formula-safe CSV. ``routes`` and ``schemas``: the HTTP side of those, plus the
admin's views of orders, products and the stock ledger, whose rules live with their own
resources (``orders.lifecycle``, ``products.service``, ``products.ledger``).
"""
