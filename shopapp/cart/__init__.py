"""The shopper's cart, under /api/v1/cart.

``service``: one line per product, quantities never above the stock on hand, and every
answer in one shape (``CartLine``). ``routes`` and ``schemas``: the HTTP side.
"""
