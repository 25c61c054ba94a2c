"""The back office's figures (shopapp.admin.stats) computed directly, on both databases."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select, text, update

from shopapp.admin import stats
from shopapp.auth.service import register_user
from shopapp.models import Product
from tests.support.orders import insert_order

TODAY = date(2026, 6, 15)


def at(day, hour=12, minute=0):
    return datetime(2026, 6, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def buyer(session):
    return register_user(session, "stats@example.com", "secret1")


@pytest.fixture
def helmet(session):
    return session.scalar(select(Product).order_by(Product.id))


@pytest.fixture
def visor(session):
    return session.scalar(select(Product).order_by(Product.id).offset(1))


def test_window_ends_today_and_has_exactly_days_days():
    assert stats.window(TODAY, 1) == (TODAY, TODAY)
    assert stats.window(TODAY, 30) == (date(2026, 5, 17), TODAY)
    assert stats.window_bounds(TODAY, TODAY) == (at(15, 0), at(16, 0))


@pytest.mark.parametrize("revenue, orders, expected", [
    ("0.00", 0, "0.00"), ("100.00", 3, "33.33"), ("0.05", 2, "0.03"), ("340.00", 12, "28.33"),
])
def test_average_order_value_rounds_half_up_and_is_zero_without_orders(revenue, orders,
                                                                       expected):
    assert stats.average(Decimal(revenue), orders) == Decimal(expected)


def test_days_without_sales_are_zero_filled_oldest_first():
    sales = {date(2026, 6, 14): (2, Decimal("30.00"))}
    daily = stats.zero_filled_days(date(2026, 6, 13), 3, sales)
    assert daily == [
        {"date": date(2026, 6, 13), "orders": 0, "revenue": Decimal("0.00")},
        {"date": date(2026, 6, 14), "orders": 2, "revenue": Decimal("30.00")},
        {"date": date(2026, 6, 15), "orders": 0, "revenue": Decimal("0.00")},
    ]


def test_shop_stats_on_known_days(session, buyer, helmet, visor):
    insert_order(session, buyer.id, [(helmet, 2, "10.00")], at(13, 0, 0))
    insert_order(session, buyer.id, [(helmet, 1, "10.00"), (visor, 1, "5.50")], at(13, 23, 59),
                 status="paid")
    insert_order(session, buyer.id, [(visor, 9, "5.50")], at(15, 8), status="cancelled")
    insert_order(session, buyer.id, [(visor, 3, "5.50")], at(15, 9), status="shipped")
    insert_order(session, buyer.id, [(helmet, 50, "10.00")], at(12, 23, 59), status="delivered")
    insert_order(session, buyer.id, [(helmet, 1, "10.00")], at(16, 0))  # tomorrow

    figures = stats.shop_stats(session, TODAY, days=3, low_stock_threshold=5)

    assert (figures["start"], figures["end"]) == (date(2026, 6, 13), TODAY)
    assert [(d["date"].day, d["orders"], d["revenue"]) for d in figures["daily"]] == [
        (13, 2, Decimal("35.50")), (14, 0, Decimal("0.00")), (15, 1, Decimal("16.50"))]
    assert figures["totals"] == {"orders": 3, "revenue": Decimal("52.00"),
                                 "average_order_value": Decimal("17.33")}
    assert figures["orders_by_status"] == {"pending": 1, "paid": 1, "shipped": 1,
                                           "delivered": 0, "cancelled": 1}
    # Pending or paid now, whenever placed: tomorrow's pending order counts too.
    assert figures["awaiting_shipment"] == 3
    assert [(p["product_id"], p["units"], p["revenue"])
            for p in figures["top_products_by_units"]] == [
        (visor.id, 4, Decimal("22.00")), (helmet.id, 3, Decimal("30.00"))]
    assert [p["product_id"] for p in figures["top_products_by_revenue"]] == [helmet.id, visor.id]
    assert figures["top_products_by_units"][0]["name"] == visor.name


def test_top_products_keep_five(session, buyer):
    products = session.scalars(select(Product).order_by(Product.id).limit(7)).all()
    for units, product in enumerate(products, start=1):
        insert_order(session, buyer.id, [(product, units, "1.00")], at(15))
    top = stats.top_products(session, *stats.window_bounds(TODAY, TODAY), by="units")
    assert [p["units"] for p in top] == [7, 6, 5, 4, 3]


def test_low_stock_lists_active_products_at_or_below_the_threshold(session, helmet, visor):
    third = session.scalar(select(Product).order_by(Product.id).offset(2))
    session.execute(update(Product).where(Product.id == helmet.id).values(inventory_count=5))
    session.execute(update(Product).where(Product.id == visor.id).values(inventory_count=0))
    session.execute(update(Product).where(Product.id == third.id)
                    .values(inventory_count=1, is_active=False))
    session.commit()
    assert stats.low_stock(session, 5) == [
        {"id": visor.id, "name": visor.name, "stock": 0},
        {"id": helmet.id, "name": helmet.name, "stock": 5}]
    assert stats.low_stock(session, 4) == [{"id": visor.id, "name": visor.name, "stock": 0}]


def test_days_are_utc_whatever_the_database_session_time_zone(session, backend, buyer, helmet):
    insert_order(session, buyer.id, [(helmet, 1, "10.00")], at(14, 23, 30))
    if backend == "postgresql":
        session.execute(text("SET TIME ZONE 'Asia/Tokyo'"))  # 23:30 UTC is the 15th there
    sales = stats.daily_sales(session, *stats.window_bounds(date(2026, 6, 14), TODAY))
    assert sales == {date(2026, 6, 14): (1, Decimal("10.00"))}
