"""Whom the operator scripts log in as: one rule for admin_tools.py and uat_simulation.py.

The admin email comes from the command line, else $SHOP_ADMIN_EMAIL, else the shop's
default admin@example.com. The password comes from the command line (where a script
offers it), else $SHOP_ADMIN_PASSWORD, else a prompt; with no terminal to prompt on, the
script stops with a one-line error (exit status 2) naming $SHOP_ADMIN_PASSWORD.
bench.py, which starts shops of its own, logs in as the default admin.
"""

import getpass
import os
import sys

DEFAULT_ADMIN_EMAIL = "admin@example.com"
MISSING_PASSWORD = ("no admin password: set SHOP_ADMIN_PASSWORD "
                    "(standard input is not a terminal, so there is no prompt)")


class MissingPassword(Exception):
    """No password was given and there is no terminal to ask on (exit status 2)."""


def stdin_is_terminal():
    return sys.stdin is not None and sys.stdin.isatty()


def admin_email(flag=None):
    return flag or os.environ.get("SHOP_ADMIN_EMAIL") or DEFAULT_ADMIN_EMAIL


def admin_password(email, flag=None):
    password = flag or os.environ.get("SHOP_ADMIN_PASSWORD")
    if password:
        return password
    if not stdin_is_terminal():
        raise MissingPassword(MISSING_PASSWORD)
    return getpass.getpass(f"Password for {email}: ")
