"""Load the operator scripts in scripts/ as modules, so tests can call ``main(argv)``."""

import importlib.util
import sys
from pathlib import Path

import requests

SCRIPTS_DIR = Path(__file__).resolve().parents[2] / "scripts"
# Run as `python scripts/x.py`, a script finds its sibling modules (operator_credentials)
# on sys.path[0]; loaded from a test, it needs the folder on the path the same way.
if str(SCRIPTS_DIR) not in sys.path:
    sys.path.insert(0, str(SCRIPTS_DIR))


def load_script(name):
    """Import ``scripts/<name>.py`` (once) and return the module."""
    module_name = f"shop_scripts_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, SCRIPTS_DIR / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


def login(api_url, email, password):
    """Bearer headers for ``email``; fails the test when the login is refused."""
    response = requests.post(
        api_url + "/auth/login", json={"email": email, "password": password}, timeout=10
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def admin_headers(api_url):
    return login(api_url, "admin@example.com", "admin123")
