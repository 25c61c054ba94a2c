#!/usr/bin/env python3
"""Operator tools for a running shop, over its HTTP API: an interactive menu, and the same
actions as subcommands for scripts.

    python scripts/admin_tools.py --email admin@example.com            # menu
    python scripts/admin_tools.py --email admin@example.com inventory  # one action
    SHOP_ADMIN_EMAIL=admin@example.com SHOP_ADMIN_PASSWORD=... \\
        python scripts/admin_tools.py set-stock 3 25

Credentials: ``--email``, else ``SHOP_ADMIN_EMAIL``, else admin@example.com; the password
from ``SHOP_ADMIN_PASSWORD`` or, when that is unset, a ``getpass`` prompt (with no terminal:
a one-line error and exit status 2). See ``operator_credentials.py``.
An API error prints its ``detail`` and exits 1; bad arguments exit 2.
Only the standard library and ``requests`` are needed; ``main(argv)`` returns the exit code.
"""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal, InvalidOperation

from operator_credentials import MissingPassword, admin_email, admin_password
from shop_client import ApiError, ShopClient, add_base_url_argument

RESET_CONFIRMATION = "RESET"


# --------------------------------------------------------------------------- flags


def whole_number(minimum):
    def parse(value):
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
        if number < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {number}")
        return number

    return parse


product_id_arg = whole_number(1)
stock_arg = whole_number(0)


def price_arg(value):
    """A positive amount with at most two decimal places, kept as a Decimal."""
    try:
        price = Decimal(value.strip())
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"expected a price such as 19.99, got {value!r}") from None
    if not price.is_finite() or price <= 0:
        raise argparse.ArgumentTypeError(f"the price must be more than 0, got {value!r}")
    if price.as_tuple().exponent < -2:
        raise argparse.ArgumentTypeError(f"at most two decimal places, got {value!r}")
    return price.quantize(Decimal("0.01"))


def build_parser():
    parser = argparse.ArgumentParser(
        prog="admin_tools.py",
        description="Administer a running shop. Without a command: an interactive menu.",
        epilog="Credentials: --email, else $SHOP_ADMIN_EMAIL, else admin@example.com; the "
        "password from $SHOP_ADMIN_PASSWORD, else a prompt (no terminal: exit 2).",
    )
    add_base_url_argument(parser)
    parser.add_argument(
        "--email",
        dest="admin_email",
        metavar="EMAIL",
        help="admin email (default: $SHOP_ADMIN_EMAIL, else admin@example.com)",
    )
    parser.add_argument(
        "--timeout", type=float, default=15.0, help="seconds per HTTP request (default: 15)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    reset = commands.add_parser(
        "reset", help="empty every table and reseed the demo catalog and the admin account"
    )
    reset.add_argument("--yes", action="store_true", help="confirm: required, nothing is kept")
    commands.add_parser("inventory", help="list products with price and stock")
    set_stock = commands.add_parser("set-stock", help="set a product's stock")
    set_stock.add_argument("product_id", type=product_id_arg, metavar="ID")
    set_stock.add_argument("stock", type=stock_arg, metavar="N")
    set_price = commands.add_parser("set-price", help="set a product's price")
    set_price.add_argument("product_id", type=product_id_arg, metavar="ID")
    set_price.add_argument("price", type=price_arg, metavar="PRICE")
    commands.add_parser("users", help="list user accounts, newest first")
    promote = commands.add_parser("promote", help="make a user an admin")
    promote.add_argument("user_email", metavar="EMAIL")
    demote = commands.add_parser("demote", help="remove a user's admin role")
    demote.add_argument("user_email", metavar="EMAIL")
    return parser


# --------------------------------------------------------------------------- API client


class LoggedOut(ApiError):
    """The session cannot go on: the reset removed the account the menu logged in with."""


class AdminClient(ShopClient):
    """The shop's client, logged in as an admin, with the calls the actions make."""

    def __init__(self, base_url, timeout=15.0):
        super().__init__(base_url, timeout)
        self.email = None

    def call(self, method, template, expected=200, json_body=None, **path_params):
        try:
            return super().call(method, template, expected, json_body, **path_params)
        except ApiError as exc:
            if exc.detail is not None:
                raise
            # The operator reads only the detail: say what came instead of the shop's answer.
            if exc.status is None:
                detail = f"cannot reach {self.base_url}: {exc.answer}"
            else:
                detail = f"HTTP {exc.status}: {exc.answer}"
            raise ApiError(exc.endpoint, exc.status, detail) from None

    def login(self, email, password):
        """Log in and make sure the account is an admin."""
        super().login(email, password)
        me = self.call("GET", "/users/me")
        if not me.get("is_admin"):
            raise ApiError("GET /users/me", 403, f"{me['email']} is not an admin")
        self.email = me["email"]

    def products(self):
        return self.call("GET", "/products")

    def product(self, product_id):
        return self.call("GET", "/products/{id}", id=product_id)

    def update_product(self, product_id, **fields):
        return self.call("PUT", "/products/{id}", json_body=fields, id=product_id)

    def users(self):
        return self.call("GET", "/admin/users")

    def user_by_email(self, email):
        wanted = email.strip().lower()
        for user in self.users():
            if user["email"].lower() == wanted:
                return user
        raise ApiError("GET /admin/users", 404, f"no user with the email {email}")

    def set_admin(self, email, is_admin):
        user = self.user_by_email(email)
        return self.call(
            "PATCH", "/admin/users/{id}", json_body={"is_admin": is_admin}, id=user["id"]
        )

    def reset(self):
        return self.call("POST", "/admin/reset")


# --------------------------------------------------------------------------- actions
# Each action prints what it did; the subcommands and the menu share them.


def table(rows, columns):
    """A plain text table; ``columns`` are (heading, key, align) triples."""
    cells = [[str(row[key]) for _, key, _ in columns] for row in rows]
    widths = [
        max([len(heading)] + [len(line[i]) for line in cells])
        for i, (heading, _, _) in enumerate(columns)
    ]

    def render(values):
        return "  ".join(
            f"{value:{align}{width}}"
            for value, width, (_, _, align) in zip(values, widths, columns, strict=True)
        ).rstrip()

    lines = [render([heading for heading, _, _ in columns]), render(["-" * w for w in widths])]
    lines += [render(line) for line in cells]
    return "\n".join(lines)


def show_inventory(client, out):
    products = sorted(client.products(), key=lambda p: p["id"])
    rows = [{**p, "active": "yes" if p["is_active"] else "no"} for p in products]
    out.write(
        table(
            rows,
            [
                ("ID", "id", ">"),
                ("Name", "name", "<"),
                ("Price", "price", ">"),
                ("Stock", "inventory_count", ">"),
                ("Active", "active", "<"),
            ],
        )
        + "\n"
    )
    out.write(f"{len(products)} products, {sum(p['inventory_count'] for p in products)} units\n")


def set_stock(client, out, product_id, stock):
    before = client.product(product_id)
    after = client.update_product(product_id, inventory_count=stock)
    out.write(
        f"Product {product_id} ({after['name']}): stock "
        f"{before['inventory_count']} -> {after['inventory_count']}\n"
    )


def set_price(client, out, product_id, price):
    before = client.product(product_id)
    # Money travels as a string so no float ever rounds it.
    after = client.update_product(product_id, price=str(price))
    out.write(
        f"Product {product_id} ({after['name']}): price {before['price']} -> {after['price']}\n"
    )


def show_users(client, out):
    rows = [
        {
            **u,
            "full_name": u.get("full_name") or "",
            "admin": "yes" if u["is_admin"] else "no",
        }
        for u in client.users()
    ]
    out.write(
        table(
            rows,
            [
                ("ID", "id", ">"),
                ("Email", "email", "<"),
                ("Name", "full_name", "<"),
                ("Admin", "admin", "<"),
                ("Created", "created_at", "<"),
            ],
        )
        + "\n"
    )
    out.write(f"{len(rows)} users, {sum(r['is_admin'] for r in rows)} admins\n")


def promote(client, out, email):
    user = client.set_admin(email, True)
    out.write(f"{user['email']} is now an admin\n")


def demote(client, out, email):
    user = client.set_admin(email, False)
    out.write(f"{user['email']} is no longer an admin\n")


def reset(client, out):
    body = client.reset() or {}
    out.write(f"{body.get('detail', 'The store was reset.')}\n")


# --------------------------------------------------------------------------- menu

MENU = """
The shop admin ({email} at {base_url})
  1) View inventory
  2) Update stock
  3) Update price
  4) View users
  5) Promote user to admin
  6) Demote admin
  7) Reset store
  q) Quit"""


def ask(prompt, parse):
    """Read one answer; argparse's type functions give the validation and the message."""
    answer = input(prompt).strip()
    try:
        return parse(answer)
    except argparse.ArgumentTypeError as exc:
        raise ValueError(str(exc)) from None


def menu(client, out, password):
    actions = {
        "1": lambda: show_inventory(client, out),
        "2": lambda: set_stock(
            client, out, ask("Product ID: ", product_id_arg), ask("New stock: ", stock_arg)
        ),
        "3": lambda: set_price(
            client, out, ask("Product ID: ", product_id_arg), ask("New price: ", price_arg)
        ),
        "4": lambda: show_users(client, out),
        "5": lambda: promote(client, out, ask("Email to promote: ", str)),
        "6": lambda: demote(client, out, ask("Email to demote: ", str)),
        "7": lambda: menu_reset(client, out, password),
    }
    while True:
        out.write(MENU.format(email=client.email, base_url=client.base_url) + "\n")
        out.flush()
        try:
            choice = input("Choose: ").strip().lower()
        except EOFError:
            out.write("\n")
            return 0
        if choice in ("q", "quit", "exit"):
            return 0
        action = actions.get(choice)
        if action is None:
            out.write(f"Unknown choice {choice!r}: pick 1-7 or q.\n")
            continue
        try:
            action()
        except ValueError as exc:
            out.write(f"Invalid value: {exc}\n")
        except LoggedOut as exc:
            print(f"error: {exc.detail}", file=sys.stderr)
            return 1
        except ApiError as exc:
            out.write(f"Error: {exc.detail}\n")
        except EOFError:
            out.write("\n")
            return 0


def menu_reset(client, out, password):
    out.write(
        "Reset empties every table (users, carts, orders) and restores the demo catalog "
        "and the admin account.\n"
    )
    if input(f"Type {RESET_CONFIRMATION} to confirm: ").strip() != RESET_CONFIRMATION:
        out.write("Reset cancelled.\n")
        return
    reset(client, out)
    # The reset recreated the accounts, so the old token may no longer be valid.
    try:
        client.login(client.email, password)
    except ApiError as exc:
        detail = f"logged out by the reset: {exc.detail}"
        raise LoggedOut(exc.endpoint, exc.status, detail) from None


# --------------------------------------------------------------------------- main


def credentials(args):
    email = admin_email(args.admin_email)
    return email, admin_password(email)


def run_command(client, args, out):
    if args.command == "reset":
        reset(client, out)
    elif args.command == "inventory":
        show_inventory(client, out)
    elif args.command == "set-stock":
        set_stock(client, out, args.product_id, args.stock)
    elif args.command == "set-price":
        set_price(client, out, args.product_id, args.price)
    elif args.command == "users":
        show_users(client, out)
    elif args.command == "promote":
        promote(client, out, args.user_email)
    elif args.command == "demote":
        demote(client, out, args.user_email)
    return 0


def main(argv=None, stdout=None):
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed usage and the error
        return exc.code
    if args.command == "reset" and not args.yes:
        print(
            f"{parser.prog}: error: reset deletes every user, cart and order; add --yes to confirm",
            file=sys.stderr,
        )
        return 2
    out = stdout or sys.stdout
    client = AdminClient(args.base_url, args.timeout)
    try:
        email, password = credentials(args)
        client.login(email, password)
        if args.command is None:
            return menu(client, out, password)
        return run_command(client, args, out)
    except MissingPassword as exc:
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return 2
    except ApiError as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return 1
    except (EOFError, KeyboardInterrupt):
        print(file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
