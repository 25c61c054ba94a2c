"""Migration 0003 gives orders placed before it their checkout row in the status history."""

from datetime import datetime

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from shopapp.extensions import db


@pytest.fixture
def app_before_history(unprepared_app):
    with unprepared_app.app_context():
        upgrade(directory=unprepared_app.extensions["migrate"].directory, revision="0002")
    return unprepared_app


def test_existing_orders_get_a_checkout_row_at_their_creation(app_before_history):
    placed = datetime(2026, 3, 4, 5, 6, 7)
    with app_before_history.app_context():
        db.session.execute(text(
            "INSERT INTO users (id, email, password_hash, is_admin, token_version, created_at) "
            "VALUES (41, 'old@example.com', 'x', false, 0, :at)"), {"at": placed})
        db.session.execute(text(
            "INSERT INTO orders (id, user_id, status, total_amount, created_at) "
            "VALUES (7, 41, 'shipped', 10, :at), (8, 41, 'pending', 5, :at)"), {"at": placed})
        db.session.commit()
        upgrade(directory=app_before_history.extensions["migrate"].directory)
        rows = db.session.execute(text(
            "SELECT order_id, from_status, to_status, actor_id, at "
            "FROM order_status_history ORDER BY id")).all()
    assert [tuple(row[:4]) for row in rows] == [(7, None, "pending", 41), (8, None, "pending", 41)]
    # The time is the order's own created_at (SQLite gives text, PostgreSQL a datetime).
    assert str(rows[0].at).startswith("2026-03-04 05:06:07")
