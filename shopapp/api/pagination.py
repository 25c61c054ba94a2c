"""Opt-in paging: the body stays a plain array; totals travel in the X-Pagination header."""

import json
import math

from marshmallow import validate
from sqlalchemy import func, select

from .fields import WholeNumber
from .smorest import Schema

PAGINATION_HEADER = "X-Pagination"
DEFAULT_PAGE_SIZE = 20


class PageQuerySchema(Schema):
    page = WholeNumber(validate=validate.Range(min=1, max=1_000_000))
    page_size = WholeNumber(validate=validate.Range(min=1, max=100))


def wants_page(query):
    return "page" in query or "page_size" in query


def count_rows(session, statement):
    return session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))


def fetch_page(session, statement, page, page_size, total=None):
    """Run ``statement`` for one page; returns (rows, header value).

    ``total``: the row count when the caller already knows it (the catalog caches it).
    """
    page = page or 1
    page_size = page_size or DEFAULT_PAGE_SIZE
    if total is None:
        total = count_rows(session, statement)
    rows = session.scalars(statement.limit(page_size).offset((page - 1) * page_size)).all()
    meta = {
        "total": total,
        "total_pages": math.ceil(total / page_size) if total else 0,
        "page": page,
        "page_size": page_size,
    }
    return rows, json.dumps(meta)


def list_or_page(session, statement, query):
    """A view's answer: the whole list, or the asked-for page plus its X-Pagination header."""
    if not wants_page(query):
        return session.scalars(statement).all()
    rows, header = fetch_page(session, statement, query.get("page"), query.get("page_size"))
    return rows, 200, {PAGINATION_HEADER: header}


PAGINATION_HEADER_DOC = {
    PAGINATION_HEADER: {
        "description": "Present only when page or page_size is given: "
        '{"total", "total_pages", "page", "page_size"} as JSON',
        "schema": {"type": "string"},
    }
}
