"""The UTC calendar day of a timestamp column, computed by the database on either backend."""

from sqlalchemy import Date
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class utc_date(FunctionElement):  # noqa: N801 - reads as the SQL function it stands for
    """``utc_date(Order.created_at)``: the timestamp's day in UTC, for GROUP BY.

    SQLite stores our timestamps as UTC text, so ``date()`` is already the UTC day;
    PostgreSQL's ``timestamptz`` is converted to UTC first, whatever the session's
    ``TimeZone`` setting."""

    type = Date()
    inherit_cache = True
    name = "utc_date"


@compiles(utc_date)
def _utc_date_sqlite(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)})"


@compiles(utc_date, "postgresql")
def _utc_date_postgresql(element, compiler, **kw):
    return f"CAST(({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'UTC' AS DATE)"
