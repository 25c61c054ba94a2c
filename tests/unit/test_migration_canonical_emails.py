"""Migration 0005 stores existing emails in canonical form, or stops, naming collisions."""

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from shopapp.extensions import db

BEFORE = "0004_order_stats_index"


@pytest.fixture
def app_before_canonical_emails(unprepared_app):
    with unprepared_app.app_context():
        upgrade(directory=unprepared_app.extensions["migrate"].directory, revision=BEFORE)
    return unprepared_app


def insert_users(emails):
    for user_id, email in emails.items():
        db.session.execute(text(
            "INSERT INTO users (id, email, password_hash, is_admin, token_version, created_at) "
            "VALUES (:id, :email, 'x', false, 0, CURRENT_TIMESTAMP)"),
            {"id": user_id, "email": email})
    db.session.commit()


def stored_emails():
    return dict(db.session.execute(text("SELECT id, email FROM users ORDER BY id")).all())


def current_revision():
    return db.session.scalar(text("SELECT version_num FROM alembic_version"))


def test_existing_emails_become_canonical(app_before_canonical_emails):
    app = app_before_canonical_emails
    with app.app_context():
        insert_users({1: "plain@example.com", 2: "User@Example.COM",
                      3: "jose\u0301@example.com", 4: "hidden\u200b@example.com",
                      5: "legacy@nodot"})
        upgrade(directory=app.extensions["migrate"].directory)
        assert stored_emails() == {1: "plain@example.com", 2: "user@example.com",
                                   3: "jos\u00e9@example.com", 4: "hidden@example.com",
                                   5: "legacy@nodot"}
        assert current_revision() != BEFORE


def test_colliding_emails_stop_the_migration_and_change_nothing(app_before_canonical_emails,
                                                                caplog):
    app = app_before_canonical_emails
    before = {1: "user@example.com", 2: "user@example.com\u200b", 3: "Other@example.com",
              4: "ann@example.com", 5: "ANN@example.com"}
    with app.app_context():
        insert_users(before)
        # Flask-Migrate logs the migration's RuntimeError and exits 1 (as `shop db upgrade`).
        with pytest.raises(SystemExit):
            upgrade(directory=app.extensions["migrate"].directory)
        message = caplog.text
        assert "nothing was changed" in message
        assert "'user@example.com': id 1 ('user@example.com'), id 2" in message
        assert "'ann@example.com': id 4 ('ann@example.com'), id 5 ('ANN@example.com')" in message
        db.session.rollback()
        assert stored_emails() == before
        assert current_revision() == BEFORE
