"""Database plumbing, below the models: nothing here knows about products or orders.

``engine``: engine options per database (SQLite pragmas, PostgreSQL pool), the default
SQLite file. ``sqlite_writes``: SQLite writers of one process take turns on a lock.
``transactions``: re-running a transaction the database rolled back (busy, deadlock).
``text_search``: substring search with LIKE wildcards escaped.
``dates``: a timestamp's UTC day in SQL, the same on SQLite and PostgreSQL.
"""
