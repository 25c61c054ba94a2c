"""The catalog, under /api/v1/products.

``service``: what a shopper may see and buy, search and sort, soft delete. ``ledger``: the
one place that writes stock changes (products, checkout, cancellation, seed).
``catalog_cache``: the public catalog encoded once and revalidated against the database on
every request, so every process agrees. ``routes`` and ``schemas``: the HTTP side.
"""
