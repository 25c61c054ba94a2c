"""Signing keys: from the environment, else generated once into the instance folder."""

import json
import os
import secrets
from pathlib import Path

KEYS_FILE = "secret_keys.json"
KEY_NAMES = ("SECRET_KEY", "JWT_SECRET_KEY")


def load_or_create_keys(instance_path):
    """Keys stored in ``instance/secret_keys.json``, creating the file (mode 0600) once."""
    path = Path(instance_path) / KEYS_FILE
    keys = json.loads(path.read_text()) if path.exists() else {}
    missing = [name for name in KEY_NAMES if not keys.get(name)]
    if missing:
        keys.update({name: secrets.token_urlsafe(48) for name in missing})
        path.parent.mkdir(parents=True, exist_ok=True)
        # Create-exclusive then rename, so two processes starting at once cannot half-write.
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(keys, handle)
        if path.exists():  # another process won the race: use its keys
            tmp.unlink()
            return json.loads(path.read_text())
        os.replace(tmp, path)
    return keys


def apply_secret_keys(app):
    if all(app.config.get(name) for name in KEY_NAMES):
        return
    keys = load_or_create_keys(app.instance_path)
    for name in KEY_NAMES:
        if not app.config.get(name):
            app.config[name] = keys[name]
