"""GET /admin/orders/export.csv: a streamed, formula-safe CSV of every order line."""

import csv
import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from shopapp.extensions import db
from shopapp.models import Product, User
from tests.support.orders import insert_order

EXPORT = "/api/v1/admin/orders/export.csv"


@pytest.fixture
def orders_on_three_days(app, shopper):
    """Lines on 1, 2 and 3 March 2026; the product on 2 March is named like a formula."""
    with app.app_context():
        helmet, visor = db.session.scalars(select(Product).order_by(Product.id).limit(2)).all()
        user_id = db.session.scalar(select(User.id).where(User.email == shopper[0]["email"]))
        insert_order(db.session, user_id, [(helmet, 1, "100.00")],
                     datetime(2026, 3, 1, 10, tzinfo=UTC), "delivered")
        visor.name = "=HYPERLINK(\"http://evil.example\",\"click\")"
        db.session.commit()
        insert_order(db.session, user_id, [(visor, 3, "12.50"), (helmet, 1, "100.00")],
                     datetime(2026, 3, 2, 23, 59, tzinfo=UTC), "paid")
        insert_order(db.session, user_id, [(helmet, 2, "100.00")],
                     datetime(2026, 3, 3, 0, 0, tzinfo=UTC), "cancelled")
    return shopper[0]["email"]


def rows(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_export_is_401_without_token_and_403_for_shoppers(client, shopper_headers):
    assert client.get(EXPORT).status_code == 401
    forbidden = client.get(EXPORT, headers=shopper_headers)
    assert forbidden.status_code == 403
    assert forbidden.json["detail"] == "Admin rights required."


def test_every_order_line_oldest_first(client, admin_headers, orders_on_three_days):
    response = client.get(EXPORT, headers=admin_headers)
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="orders.csv"'
    assert response.is_streamed
    header, *lines = rows(response)
    assert header == ["order_id", "created_at", "status", "customer_email", "product_name",
                      "quantity", "unit_price", "line_total"]
    assert [line[2] for line in lines] == ["delivered", "paid", "paid", "cancelled"]
    assert lines[0][3] == orders_on_three_days
    assert lines[1][1] == "2026-03-02T23:59:00+00:00"
    assert lines[1][5:] == ["3", "12.50", "37.50"]
    # The formula-like product name is neutralised: a spreadsheet shows it as text.
    assert lines[1][4] == "'=HYPERLINK(\"http://evil.example\",\"click\")"


def test_dates_are_inclusive_utc_days_and_status_filters(client, admin_headers,
                                                        orders_on_three_days):
    response = client.get(EXPORT, headers=admin_headers,
                          query_string={"from": "2026-03-02", "to": "2026-03-02"})
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="orders-2026-03-02-2026-03-02.csv"'
    assert [line[2] for line in rows(response)[1:]] == ["paid", "paid"]
    since = client.get(EXPORT, headers=admin_headers, query_string={"from": "2026-03-02"})
    assert [line[2] for line in rows(since)[1:]] == ["paid", "paid", "cancelled"]
    cancelled = client.get(EXPORT, headers=admin_headers, query_string={"status": "cancelled"})
    assert [line[5] for line in rows(cancelled)[1:]] == ["2"]
    empty = client.get(EXPORT, headers=admin_headers, query_string={"to": "2026-02-28"})
    assert len(rows(empty)) == 1  # the header alone


@pytest.mark.parametrize("query", [
    {"from": "2026-02-30"}, {"to": "yesterday"}, {"from": "2026-3-1"}, {"status": "lost"},
])
def test_bad_dates_and_statuses_are_422(client, admin_headers, query):
    response = client.get(EXPORT, headers=admin_headers, query_string=query)
    assert response.status_code == 422
    assert response.headers["Content-Type"].startswith("application/")
    assert response.json["detail"]


def test_from_after_to_is_400(client, admin_headers):
    response = client.get(EXPORT, headers=admin_headers,
                          query_string={"from": "2026-03-03", "to": "2026-03-01"})
    assert response.status_code == 400
    assert response.json["detail"] == "'from' (2026-03-03) is after 'to' (2026-03-01)."
