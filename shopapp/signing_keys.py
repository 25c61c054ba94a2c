"""Signing keys: from the environment, else generated once and shared through the database.

Several processes (on several machines, each with its own instance folder) must sign and
verify tokens with the same keys. When SECRET_KEY / JWT_SECRET_KEY are not set, the first
process to find the schema ready writes a generated key into ``shared_settings``
(insert-or-nothing, ``database/write_once.py``) and every process, the first included,
uses the value stored there; two processes racing agree on the first. So replicas on one
database accept each other's tokens with no extra step, and a process never signs with a
key no other process knows.

The keys are read when the schema is ready (``readiness.mark_schema_ready``), before the
first request is served: until then requests answer 503 and nothing signs. A key set in
the environment always wins. A shop that kept its keys in ``instance/secret_keys.json``
(before they moved to the database) offers them as the first value, so its tokens stay
valid across the upgrade. Whoever can read the database can read the keys, as they can
read the password hashes; set the variables to keep the keys elsewhere.
"""

import json
import secrets
from pathlib import Path

from .database.write_once import settle

KEYS_FILE = "secret_keys.json"  # the pre-database place, read only to carry keys over
KEY_NAMES = ("SECRET_KEY", "JWT_SECRET_KEY")
SETTING_PREFIX = "signing key "  # shared_settings name: "signing key JWT_SECRET_KEY"


def keys_from_instance_file(instance_path):
    path = Path(instance_path) / KEYS_FILE
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def missing_keys(app):
    return [name for name in KEY_NAMES if not app.config.get(name)]


def load_shared_keys(app, session):
    """Fill the keys the environment did not set from the database, storing a generated
    (or carried-over) value first when no process has. Commits ``session``."""
    missing = missing_keys(app)
    if not missing:
        return
    carried_over = keys_from_instance_file(app.instance_path)
    for name in missing:
        offered = carried_over.get(name) or secrets.token_urlsafe(48)
        app.config[name] = settle(session, SETTING_PREFIX + name, offered)
