"""GET /admin/stats: orders on known UTC days, a cancelled order and an empty day."""

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select, update

from shopapp.extensions import db
from shopapp.models import Product, User, utcnow
from tests.support.orders import insert_order
from tests.support.statements import statements_for

STATS = "/api/v1/admin/stats"


def day_at(days_ago, hour=12):
    today = utcnow().date()
    return datetime.combine(today - timedelta(days=days_ago), time(hour), UTC)


@pytest.fixture
def known_days(app, shopper):
    """Today: one paid order (2 x 100.00) and one cancelled (5 x 30.00); yesterday: none;
    two days ago: a pending order (1 x 30.00); 40 days ago: a delivered one (outside 30)."""
    with app.app_context():
        helmet, visor = db.session.scalars(select(Product).order_by(Product.id).limit(2)).all()
        user_id = db.session.scalar(select(User.id).where(User.email == shopper[0]["email"]))
        insert_order(db.session, user_id, [(helmet, 2, "100.00")], day_at(0, 1), "paid")
        insert_order(db.session, user_id, [(visor, 5, "30.00")], day_at(0, 2), "cancelled")
        insert_order(db.session, user_id, [(visor, 1, "30.00")], day_at(2, 23), "pending")
        insert_order(db.session, user_id, [(helmet, 9, "100.00")], day_at(40), "delivered")
        db.session.execute(update(Product).where(Product.id == visor.id)
                           .values(inventory_count=2))
        db.session.commit()
        return {"helmet": (helmet.id, helmet.name), "visor": (visor.id, visor.name)}


def test_stats_is_401_without_token_and_403_for_shoppers(client, shopper_headers):
    assert client.get(STATS).status_code == 401
    assert client.get(STATS, headers=shopper_headers).status_code == 403


def test_stats_for_the_default_thirty_days(client, admin_headers, known_days):
    response = client.get(STATS, headers=admin_headers)
    assert response.status_code == 200
    body = response.json
    today = utcnow().date()
    assert body["days"] == 30
    assert body["end"] == today.isoformat()
    assert body["start"] == (today - timedelta(days=29)).isoformat()
    daily = body["daily"]
    assert len(daily) == 30 and daily[0]["date"] == body["start"]
    assert daily[-1] == {"date": today.isoformat(), "orders": 1, "revenue": "200.00"}
    assert daily[-2] == {"date": (today - timedelta(days=1)).isoformat(), "orders": 0,
                         "revenue": "0.00"}  # the empty day
    assert daily[-3]["orders"] == 1 and daily[-3]["revenue"] == "30.00"
    assert sum(day["orders"] for day in daily) == 2
    assert body["totals"] == {"orders": 2, "revenue": "230.00", "average_order_value": "115.00"}
    assert body["orders_by_status"] == {"pending": 1, "paid": 1, "shipped": 0, "delivered": 0,
                                        "cancelled": 1}
    assert body["awaiting_shipment"] == 2
    helmet_id, helmet_name = known_days["helmet"]
    visor_id, _ = known_days["visor"]
    assert body["top_products_by_units"] == [
        {"product_id": helmet_id, "name": helmet_name, "units": 2, "revenue": "200.00"},
        {"product_id": visor_id, "name": known_days["visor"][1], "units": 1,
         "revenue": "30.00"}]
    assert [p["product_id"] for p in body["top_products_by_revenue"]] == [helmet_id, visor_id]
    assert body["low_stock_threshold"] == 5
    assert body["low_stock"] == [{"id": visor_id, "name": known_days["visor"][1], "stock": 2}]


def test_a_longer_window_reaches_older_orders(client, admin_headers, known_days):
    body = client.get(STATS, headers=admin_headers, query_string={"days": 41}).json
    assert len(body["daily"]) == 41
    assert body["daily"][0] == {"date": body["start"], "orders": 1, "revenue": "900.00"}
    assert body["totals"]["revenue"] == "1130.00"
    assert body["orders_by_status"]["delivered"] == 1
    assert body["top_products_by_units"][0]["units"] == 11


def test_one_day_and_an_empty_shop(client, admin_headers):
    body = client.get(STATS, headers=admin_headers, query_string={"days": 1}).json
    assert body["start"] == body["end"] == utcnow().date().isoformat()
    assert body["daily"] == [{"date": body["end"], "orders": 0, "revenue": "0.00"}]
    assert body["totals"] == {"orders": 0, "revenue": "0.00", "average_order_value": "0.00"}
    assert body["top_products_by_units"] == body["top_products_by_revenue"] == []
    assert set(body["orders_by_status"].values()) == {0}


@pytest.mark.parametrize("days", ["0", "367", "-1", "week"])
def test_days_outside_one_to_366_is_422(client, admin_headers, days):
    response = client.get(STATS, headers=admin_headers, query_string={"days": days})
    assert response.status_code == 422
    assert "days" in str(response.json)


def test_the_threshold_comes_from_config(app, client, admin_headers, known_days):
    app.config["LOW_STOCK_THRESHOLD"] = 1
    assert client.get(STATS, headers=admin_headers).json["low_stock"] == []


def test_stats_cost_a_fixed_number_of_statements(app, client, admin_headers, known_days,
                                                 shopper):
    before = statements_for(app, client, "GET", STATS, admin_headers)
    with app.app_context():
        products = db.session.scalars(select(Product).order_by(Product.id).limit(4)).all()
        user_id = db.session.scalar(select(User.id).where(User.email == shopper[0]["email"]))
        for days_ago in range(12):
            insert_order(db.session, user_id, [(product, 1, "9.00") for product in products],
                         day_at(days_ago))
    assert statements_for(app, client, "GET", STATS, admin_headers) == before
