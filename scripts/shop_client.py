"""What the operator scripts share about reaching a shop: where its API is (``--base-url``),
and one client for it (``ShopClient``: JSON calls, a bearer login, ``ApiError``).

Imported by admin_tools.py, uat_simulation.py and bench.py (run as ``python scripts/x.py``,
a script finds this module beside it). Only the standard library and ``requests``.
"""

import argparse
import json
from urllib.parse import urlsplit, urlunsplit

import requests

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


class ApiError(Exception):
    """A call that got another answer than the one expected, or none (``status`` None).

    ``endpoint`` names the call (``POST /cart/items``). ``detail`` says why in words: the
    JSON ``detail`` that every error answer of the shop carries, or a script's own finding.
    An answer without one (not the shop's, or not JSON) leaves it None, and ``answer`` says
    what came instead, as it does for a call that got no answer. ``message`` is whichever
    of the two there is.
    """

    def __init__(self, endpoint, status, detail=None, answer=None):
        self.endpoint = endpoint
        self.status = status
        self.detail = detail
        self.answer = answer
        super().__init__(f"{endpoint} -> {status or 'no response'}: {self.message}")

    @property
    def message(self):
        return self.answer if self.detail is None else self.detail


def refusal(endpoint, response):
    """The ApiError for ``response``, an answer with another status than expected."""
    try:
        body = response.json()
    except ValueError:
        answer = response.text.strip()[:200] or response.reason
        return ApiError(endpoint, response.status_code, answer=answer)
    if isinstance(body, dict) and isinstance(body.get("detail"), str):
        return ApiError(endpoint, response.status_code, body["detail"])
    return ApiError(endpoint, response.status_code, answer=json.dumps(body)[:200])


class ShopClient:
    """One ``requests`` session against the API at ``base_url`` (``.../api/v1``).

    Not shared between threads: a script runs one client per thread (per shopper).
    """

    def __init__(self, base_url, timeout):
        self.base_url = base_url
        self.timeout = timeout
        self.session = requests.Session()
        self.token = None

    def call(self, method, template, expected=200, json_body=None, **path_params):
        """``method`` on ``template`` (``/products/{id}``, filled from ``path_params``).

        Returns the JSON answer (None for an empty one); any status but ``expected``, or
        no answer, raises ApiError.
        """
        endpoint = f"{method} {template}"
        url = self.base_url + template.format(**path_params)
        try:
            response = self.send(endpoint, method, url, json_body)
        except requests.RequestException as exc:
            raise ApiError(endpoint, None, answer=str(exc)) from None
        if response.status_code != expected:
            raise refusal(endpoint, response)
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise ApiError(endpoint, response.status_code, answer="response is not JSON") from None

    def send(self, endpoint, method, url, json_body):
        """One HTTP request; a subclass may time or repeat it (``endpoint`` names it)."""
        return self.session.request(method, url, json=json_body, timeout=self.timeout)

    def login(self, email, password):
        """Log in afresh: every later call carries the new bearer token."""
        self.session.headers.pop("Authorization", None)
        self.token = None
        body = self.call("POST", "/auth/login", json_body={"email": email, "password": password})
        self.token = body["access_token"]
        self.session.headers["Authorization"] = f"Bearer {self.token}"

    def close(self):
        self.session.close()
