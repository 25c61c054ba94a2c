"""What the operator scripts share about reaching a shop: where its API is.

Imported by admin_tools.py and uat_simulation.py (run as ``python scripts/x.py``, a script
finds this module beside it).
"""

import argparse
from urllib.parse import urlsplit, urlunsplit

DEFAULT_BASE_URL = "http://localhost:8000/api/v1"


def normalise_base_url(value):
    """``http://host:8000``, ``.../api`` and ``.../api/v1`` all mean ``.../api/v1``."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"expected an http(s) URL such as http://localhost:8000, got {value!r}")
    path = parts.path.rstrip("/")
    if path.endswith("/api"):
        path += "/v1"
    elif not path.endswith("/api/v1"):
        path += "/api/v1"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def base_url_arg(value):
    """``normalise_base_url`` as an argparse type: a bad URL is a usage error."""
    try:
        return normalise_base_url(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_base_url_argument(parser):
    """The scripts' common ``--base-url`` option."""
    parser.add_argument(
        "--base-url",
        type=base_url_arg,
        default=DEFAULT_BASE_URL,
        help="the shop's origin or API root; normalised to .../api/v1 (default: %(default)s)",
    )
