"""The CSV export's rules (shopapp.admin.export), without HTTP."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from shopapp.admin import export
from shopapp.auth.service import register_user
from shopapp.models import Product
from tests.support.orders import insert_order


@pytest.mark.parametrize("cell, shown", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+1+1", "'+1+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tcmd", "'\tcmd"), ("\rcmd", "'\rcmd"),
    ("Helmet = good", "Helmet = good"), ("a@example.com", "a@example.com"), ("", ""),
    (12, "12"), ("12.50", "12.50"),
])
def test_formula_cells_get_a_leading_quote_and_others_stay(cell, shown):
    assert export.neutralise(cell) == shown


@pytest.mark.parametrize("start, end, name", [
    (None, None, "orders.csv"),
    (date(2026, 1, 1), date(2026, 1, 31), "orders-2026-01-01-2026-01-31.csv"),
    (date(2026, 1, 1), None, "orders-2026-01-01-end.csv"),
    (None, date(2026, 1, 31), "orders-start-2026-01-31.csv"),
])
def test_filename_names_the_range(start, end, name):
    assert export.filename(start, end) == name


def rows_of(chunks):
    return list(csv.reader(io.StringIO("".join(chunks))))


def test_every_line_in_batches_oldest_first_with_inclusive_days(session):
    buyer = register_user(session, "csv@example.com", "secret1")
    helmet, visor = session.scalars(select(Product).order_by(Product.id).limit(2)).all()
    days = [datetime(2026, 5, day, hour, tzinfo=UTC) for day, hour in
            ((2, 0), (1, 9), (3, 23), (4, 0))]
    for placed in days:
        insert_order(session, buyer.id, [(helmet, 2, "10.00"), (visor, 1, "5.50")], placed)
    statement = export.export_statement(date(2026, 5, 1), date(2026, 5, 3))
    chunks = list(export.csv_chunks(session, statement, batch_rows=2))
    assert len(chunks) == 1 + 3  # the header, then 6 lines in batches of 2
    header, *lines = rows_of(chunks)
    assert tuple(header) == export.HEADER
    assert [line[1][:13] for line in lines] == ["2026-05-01T09"] * 2 + ["2026-05-02T00"] * 2 \
        + ["2026-05-03T23"] * 2
    assert lines[0][2:] == ["pending", "csv@example.com", helmet.name, "2", "10.00", "20.00"]
    assert lines[1][4:] == [visor.name, "1", "5.50", "5.50"]
    assert datetime.fromisoformat(lines[0][1]) == days[1]


def test_a_status_filter_and_an_empty_export(session):
    buyer = register_user(session, "csv2@example.com", "secret1")
    helmet = session.scalar(select(Product).order_by(Product.id))
    insert_order(session, buyer.id, [(helmet, 1, "10.00")], datetime(2026, 5, 1, tzinfo=UTC),
                 status="paid")
    paid = rows_of(export.csv_chunks(session, export.export_statement(status="paid")))
    assert len(paid) == 2 and paid[1][2] == "paid"
    none = rows_of(export.csv_chunks(session, export.export_statement(status="shipped")))
    assert none == [list(export.HEADER)]
