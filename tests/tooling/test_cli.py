"""The flask / shop commands: init-db, reset-db, promote, demote, create-admin."""

from sqlalchemy import func, select

from shopapp.extensions import db
from shopapp.models import Product, User


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def is_admin(app, email):
    with app.app_context():
        return db.session.scalar(select(User.is_admin).where(User.email == email))


def test_init_db_is_idempotent(app, runner):
    first = runner.invoke(args=["init-db"])
    second = runner.invoke(args=["init-db"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output
    assert "Database ready" in second.output
    assert count(app, Product) == 12
    assert count(app, User) == 1


def test_reset_db_asks_first_and_resets_with_yes(app, runner, auth, make_product):
    make_product(name="Extra")
    auth.register("someone@example.com")
    declined = runner.invoke(args=["reset-db"], input="n\n")
    assert declined.exit_code != 0
    assert count(app, Product) == 13
    accepted = runner.invoke(args=["reset-db", "--yes"])
    assert accepted.exit_code == 0, accepted.output
    assert count(app, Product) == 12
    assert count(app, User) == 1


def test_promote_and_demote(app, runner, auth):
    auth.register("crew@example.com")
    result = runner.invoke(args=["promote", "Crew@Example.com"])
    assert result.exit_code == 0, result.output
    assert is_admin(app, "crew@example.com") is True
    result = runner.invoke(args=["demote", "crew@example.com"])
    assert result.exit_code == 0
    assert is_admin(app, "crew@example.com") is False


def test_demote_never_removes_the_last_admin(app, runner):
    result = runner.invoke(args=["demote", "admin@example.com"])
    assert result.exit_code == 1
    assert "last admin" in result.output
    assert is_admin(app, "admin@example.com") is True


def test_unknown_email_is_a_one_line_error_and_exit_1(runner):
    for command in ("promote", "demote"):
        result = runner.invoke(args=[command, "ghost@example.com"])
        assert result.exit_code == 1
        assert result.output.strip() == "Error: No user with email ghost@example.com"


def test_create_admin_with_password_option_and_prompt(app, runner, client):
    result = runner.invoke(args=["create-admin", "boss@example.com", "--password", "boss-pass"])
    assert result.exit_code == 0, result.output
    assert is_admin(app, "boss@example.com") is True
    login = client.post("/api/v1/auth/login",
                        json={"email": "boss@example.com", "password": "boss-pass"})
    assert login.status_code == 200
    prompted = runner.invoke(args=["create-admin", "chief@example.com"],
                             input="chief-pass\nchief-pass\n")
    assert prompted.exit_code == 0, prompted.output
    assert is_admin(app, "chief@example.com") is True


def test_create_admin_refuses_duplicates_and_short_passwords(runner):
    duplicate = runner.invoke(args=["create-admin", "admin@example.com", "--password", "whatever"])
    assert duplicate.exit_code == 1
    assert "already registered" in duplicate.output
    short = runner.invoke(args=["create-admin", "x@example.com", "--password", "123"])
    assert short.exit_code == 1
