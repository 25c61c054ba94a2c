"""Command line: ``shop <command>`` (or ``flask --app shopapp <command>``)."""

import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, routes_command, shell_command, with_appcontext
from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from .config import DEMO_ADMIN_PASSWORD
from .errors import ShopError
from .extensions import db
from .readiness import prepare_database
from .version import package_version


def fail(message):
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Apply migrations and seed the catalog and admin account (idempotent)."""
    prepare_database(seed_demo=True)
    click.echo("Database ready.")


@click.command("reset-db")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def reset_db_command(yes):
    """Empty every table and reseed the demo data."""
    from .admin.service import reset_store

    if not yes:
        click.confirm("This deletes every user, order and product. Continue?", abort=True)
    prepare_database(seed_demo=False)
    reset_store(db.session, current_app.config["ADMIN_EMAIL"], current_app.config["ADMIN_PASSWORD"])
    click.echo("Store reset.")


def _set_role(email, is_admin):
    from .admin.service import find_user_by_email, set_admin

    try:
        user = set_admin(db.session, find_user_by_email(db.session, email).id, is_admin)
    except ShopError as error:
        fail(error.detail)
    click.echo(f"{user.email} is {'now' if user.is_admin else 'no longer'} an admin.")


@click.command("promote")
@click.argument("email")
@with_appcontext
def promote_command(email):
    """Give EMAIL admin rights."""
    _set_role(email, True)


@click.command("demote")
@click.argument("email")
@with_appcontext
def demote_command(email):
    """Remove EMAIL's admin rights (never the last admin's)."""
    _set_role(email, False)


def validated_account(email, password=None, full_name=None):
    """The fields as POST /auth/register would accept them, or a one-line error."""
    from .auth.schemas import RegisterSchema

    fields = {"email": email, "full_name": full_name}
    if password is not None:
        fields["password"] = password
    try:
        return RegisterSchema().load(fields, partial=password is None)
    except ValidationError as error:
        fail("; ".join(f"{field}: {' '.join(map(str, messages))}"
                       for field, messages in error.normalized_messages().items()))


@click.command("create-admin")
@click.argument("email")
@click.option("--password", default=None,
              help="Password of a new account (prompted when omitted).")
@click.option("--full-name", default=None, help="Full name of a new account.")
@with_appcontext
def create_admin_command(email, password, full_name):
    """Make EMAIL an admin: create the account, or promote an existing one.

    EMAIL must be an address the API would accept. An existing account keeps its
    password and name; a new one needs a password of at least 6 characters.
    """
    from .admin.service import set_admin
    from .auth.emails import lookup_email
    from .auth.service import register_user
    from .models import User

    account = validated_account(email)
    existing = db.session.scalar(
        select(User).where(User.email == lookup_email(account["email"])))
    if existing is not None:
        was_admin = existing.is_admin
        set_admin(db.session, existing.id, True)
        click.echo(f"{existing.email} {'was already' if was_admin else 'is now'} an admin "
                   "(an existing account: its password is unchanged).")
        return
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    account = validated_account(email, password, full_name)
    try:
        user = register_user(db.session, account["email"], password, account.get("full_name"))
    except ShopError as error:
        fail(error.detail)
    set_admin(db.session, user.id, True)
    click.echo(f"Admin {user.email} created.")


def browsable_url(host, port):
    """An address a browser on this machine can open (0.0.0.0 is where to listen, not
    where to go)."""
    if host in ("0.0.0.0", "::", "", "127.0.0.1", "localhost"):
        host = "localhost"
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def demo_admin_in_use(config):
    """True while the seeded admin still has the documented demo password."""
    from .auth.emails import lookup_email
    from .auth.passwords import verify_password
    from .models import User

    if config["ADMIN_PASSWORD"] != DEMO_ADMIN_PASSWORD:
        return False
    password_hash = db.session.scalar(
        select(User.password_hash).where(User.email == lookup_email(config["ADMIN_EMAIL"])))
    return password_hash is not None and verify_password(password_hash, DEMO_ADMIN_PASSWORD)


@click.command("serve")
@click.option("--host", default=None, help="Default: SHOP_HOST (0.0.0.0).")
@click.option("--port", type=int, default=None, help="Default: SHOP_PORT (8000).")
@click.option("--threads", type=int, default=None, help="Default: SHOP_THREADS (8).")
@with_appcontext
def serve_command(host, port, threads):
    """Migrate, seed and serve the shop with waitress."""
    from .web.serving import serve  # waitress, keeping connections open after 204/304

    config = current_app.config
    if config["MIGRATE_ON_START"]:
        try:
            prepare_database()
        except OperationalError as error:
            fail(f"the database is unreachable, so it cannot be prepared: {error.orig}")
    app = current_app._get_current_object()
    host = host or config["SHOP_HOST"]
    port = port or config["SHOP_PORT"]
    click.echo(f"The shop is listening on {browsable_url(host, port)} (API docs at /docs)")
    if config["MIGRATE_ON_START"] and demo_admin_in_use(config):
        click.echo(f"Demo admin: {config['ADMIN_EMAIL']} / {DEMO_ADMIN_PASSWORD} "
                   "(a demo default: set ADMIN_PASSWORD for a real shop)")
    db.session.remove()
    proxy = {}
    if config["SHOP_TRUSTED_PROXY"]:
        proxy = {"trusted_proxy": config["SHOP_TRUSTED_PROXY"],
                 "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"}}
    serve(app, host=host, port=port, threads=threads or config["SHOP_THREADS"],
          ident="shop", **waitress_limits(config), **proxy)


def waitress_limits(config):
    """Waitress's settings for slow and idle clients, from the config (config.py says why)."""
    timeout = config["WAITRESS_CHANNEL_TIMEOUT"]
    return {
        "connection_limit": config["WAITRESS_CONNECTION_LIMIT"],
        "channel_timeout": timeout,
        # Waitress looks for timed-out connections every cleanup_interval seconds.
        "cleanup_interval": max(1, min(30, timeout // 2)),
        "backlog": config["WAITRESS_BACKLOG"],
        "asyncore_use_poll": True,
    }


COMMANDS = (serve_command, init_db_command, reset_db_command, create_admin_command,
            promote_command, demote_command)


def register_cli(app):
    for command in COMMANDS:
        app.cli.add_command(command)


class ShopGroup(FlaskGroup):
    """``shop``: the shop's commands first, then the libraries' (db, openapi, ...).

    Flask's options that cannot work here are left out: ``--env-file`` (needs
    python-dotenv), ``--app`` (``shop`` always builds this app), ``--debug`` and the
    development server ``run`` (waitress serves the shop).
    """

    OMITTED_PARAMS = frozenset({"env_file", "app", "debug"})

    def __init__(self):
        from . import create_app

        super().__init__(create_app=create_app, add_default_commands=False,
                         add_version_option=False, load_dotenv=False,
                         help="The shop's command line.")
        self.params = [p for p in self.params if p.name not in self.OMITTED_PARAMS]
        click.version_option(package_version(), "--version", prog_name="shop",
                             message="%(prog)s %(version)s")(self)
        self.add_command(shell_command)
        self.add_command(routes_command)

    def list_commands(self, ctx):
        ours = [command.name for command in COMMANDS]
        return ours + sorted(set(super().list_commands(ctx)) - set(ours))


def main():
    ShopGroup().main(prog_name="shop")
