"""One log line per request, tied together by a request id the client may supply."""

import itertools
import logging
import re
import secrets
import time

from flask import g, request

REQUEST_ID_HEADER = "X-Request-ID"
# Echoed into logs and headers, so only a short, plain token is accepted from clients.
SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

log = logging.getLogger("shopapp.request")


class RequestIds:
    """32 hex characters: a random per-process prefix and a counter.

    Unique across processes and restarts like a uuid4, without reading the system's
    random source on every request (docs/PERFORMANCE.md)."""

    def __init__(self):
        self.prefix = secrets.token_hex(8)
        self.counter = itertools.count(1)

    def new(self):
        return f"{self.prefix}{next(self.counter) & 0xFFFFFFFFFFFFFFFF:016x}"


def register_request_logging(app):
    request_ids = RequestIds()

    @app.before_request
    def start_timer():
        incoming = request.environ.get("HTTP_X_REQUEST_ID")
        g.request_id = (incoming if incoming and SAFE_REQUEST_ID.match(incoming)
                        else request_ids.new())
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response):
        request_id = g.get("request_id") or request_ids.new()
        response.headers.add(REQUEST_ID_HEADER, request_id)
        if log.isEnabledFor(logging.INFO):
            started = g.get("request_started")
            duration_ms = (time.perf_counter() - started) * 1000 if started else 0.0
            log.info(
                "%s %s %s %.1fms request_id=%s",
                request.method, request.path, response.status_code, duration_ms, request_id,
            )
        return response
