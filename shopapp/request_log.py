"""One log line per request, tied together by a request id the client may supply."""

import logging
import re
import time
import uuid

from flask import g, request

REQUEST_ID_HEADER = "X-Request-ID"
# Echoed into logs and headers, so only a short, plain token is accepted from clients.
SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

log = logging.getLogger("shopapp.request")


def register_request_logging(app):
    @app.before_request
    def start_timer():
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = incoming if SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response):
        request_id = g.get("request_id") or uuid.uuid4().hex
        response.headers[REQUEST_ID_HEADER] = request_id
        started = g.get("request_started")
        duration_ms = (time.perf_counter() - started) * 1000 if started else 0.0
        log.info(
            "%s %s %s %.1fms request_id=%s",
            request.method, request.path, response.status_code, duration_ms, request_id,
        )
        return response
