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


def test_create_admin_promotes_an_existing_account_and_keeps_its_password(app, runner, auth,
                                                                         client):
    auth.register("crew@example.com", password="crew-pass")
    result = runner.invoke(args=["create-admin", "Crew@Example.com"])
    assert result.exit_code == 0, result.output
    assert "crew@example.com is now an admin" in result.output
    assert "password is unchanged" in result.output
    assert is_admin(app, "crew@example.com") is True
    login = client.post("/api/v1/auth/login",
                        json={"email": "crew@example.com", "password": "crew-pass"})
    assert login.status_code == 200
    again = runner.invoke(args=["create-admin", "admin@example.com", "--password", "whatever"])
    assert again.exit_code == 0, again.output
    assert "admin@example.com was already an admin" in again.output
    assert count(app, User) == 2


def test_create_admin_help_says_what_it_does_with_an_existing_account(runner):
    result = runner.invoke(args=["create-admin", "--help"])
    assert "create the account, or promote an existing one" in " ".join(result.output.split())


def test_create_admin_validates_like_the_api(app, runner, client):
    invalid = runner.invoke(args=["create-admin", "notanemail", "--password", "long-enough"])
    assert invalid.exit_code == 1
    assert invalid.output.strip().startswith("Error: email:")
    api = client.post("/api/v1/auth/register",
                      json={"email": "notanemail", "password": "long-enough"})
    assert api.status_code == 422  # the API refuses the same address
    short = runner.invoke(args=["create-admin", "x@example.com", "--password", "123"])
    assert short.exit_code == 1
    assert "password" in short.output
    assert count(app, User) == 1
