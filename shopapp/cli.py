"""Command line: ``shop <command>`` (or ``flask --app shopapp <command>``)."""

import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_migrate import upgrade

from .errors import ShopError
from .extensions import db


def prepare_database():
    """Apply every migration, then seed (idempotent)."""
    from .seed import seed

    upgrade(directory=current_app.extensions["migrate"].directory)
    if current_app.config["SEED_ON_START"]:
        seed(db.session, current_app.config["ADMIN_EMAIL"], current_app.config["ADMIN_PASSWORD"])


def fail(message):
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Apply migrations and seed the catalog and admin account."""
    from .seed import seed

    upgrade(directory=current_app.extensions["migrate"].directory)
    seed(db.session, current_app.config["ADMIN_EMAIL"], current_app.config["ADMIN_PASSWORD"])
    click.echo("Database ready.")


@click.command("reset-db")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def reset_db_command(yes):
    """Empty every table and reseed the demo data."""
    from .admin.service import reset_store

    if not yes:
        click.confirm("This deletes every user, order and product. Continue?", abort=True)
    upgrade(directory=current_app.extensions["migrate"].directory)
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


@click.command("create-admin")
@click.argument("email")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--full-name", default=None)
@with_appcontext
def create_admin_command(email, password, full_name):
    """Create an admin account (or make an existing account admin)."""
    from .admin.service import set_admin
    from .auth.service import register_user

    if len(password) < 6:
        fail("The password needs at least 6 characters.")
    try:
        user = register_user(db.session, email, password, full_name)
    except ShopError as error:
        fail(error.detail)
    set_admin(db.session, user.id, True)
    click.echo(f"Admin {user.email} created.")


@click.command("serve")
@click.option("--host", default=None, help="Default: SHOP_HOST (0.0.0.0).")
@click.option("--port", type=int, default=None, help="Default: SHOP_PORT (8000).")
@click.option("--threads", type=int, default=None, help="Default: SHOP_THREADS (8).")
@with_appcontext
def serve_command(host, port, threads):
    """Migrate, seed and serve the shop with waitress."""
    from .web.serving import serve  # waitress, keeping connections open after 204/304

    config = current_app.config
    prepare_database()
    app = current_app._get_current_object()
    host = host or config["SHOP_HOST"]
    port = port or config["SHOP_PORT"]
    click.echo(f"The shop is listening on http://{host}:{port}/ (API docs at /docs)")
    proxy = {}
    if config["SHOP_TRUSTED_PROXY"]:
        proxy = {"trusted_proxy": config["SHOP_TRUSTED_PROXY"],
                 "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"}}
    serve(app, host=host, port=port, threads=threads or config["SHOP_THREADS"],
          ident="shop", **proxy)


COMMANDS = (init_db_command, reset_db_command, promote_command, demote_command,
            create_admin_command, serve_command)


def register_cli(app):
    for command in COMMANDS:
        app.cli.add_command(command)


def main():
    from . import create_app

    cli = FlaskGroup(create_app=create_app, help="The shop's command line.")
    cli.main(prog_name="shop")
