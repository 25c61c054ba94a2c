"""The catalog answer, encoded once, revalidated against the database on every request.

``GET /products`` without parameters is the storefront's hottest request and its answer
changes only when a product does. This process keeps that answer as encoded bytes with a
strong ETag, filed under the database's catalog version: one row (``CatalogVersion``)
that triggers bump inside every transaction that writes ``products`` (migration 0002).
Each request first reads that row, one primary-key lookup, and serves the cached bytes
(or a 304 for a matching ``If-None-Match``) only when the version is unchanged. So a
write by anyone, a checkout, an admin edit, a reset, another server process, the CLI or
plain SQL, is seen by the very next request, and writers call nothing.

The version is read before the rows, so rows are always at least as new as the version
they are filed under: a race costs a needless rebuild, never a stale answer. Pages
(``page``/``page_size``/``q``/``sort``) are not cached; their ``X-Pagination`` totals
are, per version, since counting is the one part of a page whose cost grows with the
catalog. A missing version row (a database built without the migrations) disables both.

CATALOG_CACHE=false (config) turns all of it off, to measure or to rule it out.
"""

import hashlib
import threading
from functools import wraps

from flask import current_app, request

from ..extensions import db

EXTENSION_KEY = "catalog_cache"
VERSION_SQL = "SELECT version FROM catalog_version WHERE id = 1"
CACHE_CONTROL = "no-cache"  # may be stored, but revalidated (If-None-Match) before reuse
MAX_TOTALS = 256  # distinct searches whose totals are remembered per version


class CatalogCache:
    """One app's cached catalog answer and page totals (thread-safe: entries are replaced,
    never mutated, and a lost race only means building the same entry twice)."""

    def __init__(self, enabled=True):
        self.enabled = enabled
        self._answer = None  # (version, body bytes, etag value)
        self._totals = {}  # key -> (version, total)
        self._lock = threading.Lock()

    def answer(self, version, build):
        """(body, etag) for ``version``; ``build()`` returns (version, body) when stale."""
        cached = self._answer
        if cached is None or cached[0] != version:
            built_version, body = build()
            etag = hashlib.blake2b(body, digest_size=16).hexdigest()
            cached = (built_version, body, etag)
            if built_version is not None:
                self._answer = cached
        return cached[1], cached[2]

    def total(self, version, key, count):
        """The number of rows for ``key`` at ``version``; ``count()`` computes it."""
        if version is None:
            return count()
        cached = self._totals.get(key)
        if cached is not None and cached[0] == version:
            return cached[1]
        total = count()
        with self._lock:
            if len(self._totals) >= MAX_TOTALS:
                self._totals = {}
            self._totals[key] = (version, total)
        return total


def init_catalog_cache(app):
    app.extensions[EXTENSION_KEY] = CatalogCache(app.config.get("CATALOG_CACHE", True))


def catalog_cache():
    return current_app.extensions[EXTENSION_KEY]


def read_version():
    """The catalog version, straight from a pooled DBAPI connection (no ORM session).

    None when the cache is off or the version row is missing."""
    if not catalog_cache().enabled:
        return None
    connection = db.engine.raw_connection()
    try:
        cursor = connection.cursor()
        try:
            cursor.execute(VERSION_SQL)
            row = cursor.fetchone()
        finally:
            cursor.close()
    finally:
        connection.close()  # back to the pool, rolled back
    return row[0] if row else None


def session_version(session):
    """The catalog version inside ``session``'s transaction (read it before the rows)."""
    if not catalog_cache().enabled:
        return None
    return session.connection().exec_driver_sql(VERSION_SQL).scalar()


def etag_matches(etag):
    header = request.headers.get("If-None-Match")
    if not header:
        return False
    return header == f'"{etag}"' or request.if_none_match.contains_weak(etag)


def cached_catalog_response(build_body):
    """The full catalog answer: cached bytes, or 304 when the client already has them.

    ``build_body(session)`` encodes the catalog from the database.
    """
    cache = catalog_cache()

    def build():
        session = db.session
        version = session_version(session)
        return version, build_body(session)

    if cache.enabled:
        body, etag = cache.answer(read_version(), build)
    else:
        body = build_body(db.session)
        etag = hashlib.blake2b(body, digest_size=16).hexdigest()
    headers = {"ETag": f'"{etag}"', "Cache-Control": CACHE_CONTROL}
    response_class = current_app.response_class
    if etag_matches(etag):
        return response_class(status=304, headers=headers, mimetype="application/json")
    return response_class(body, headers=headers, mimetype="application/json")


def serve_full_catalog_from_cache(build_body):
    """View decorator: a GET without a query string is answered from the cache; anything
    else (search, sort, paging) goes to the view as usual."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if request.query_string:
                return view(*args, **kwargs)
            return cached_catalog_response(build_body)

        return wrapper

    return decorator
