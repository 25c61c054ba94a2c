"""One error shape for the whole app.

Every error answer is JSON with a readable ``detail`` plus the RFC 9457 fields ``type``,
``title`` and ``status``; validation errors add ``errors`` (field -> messages). Domain
rules raise :class:`ShopError` subclasses, translated to HTTP here and nowhere else.
"""

import logging
from http import HTTPStatus

from flask import jsonify
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import ObjectDeletedError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class ShopError(Exception):
    """A broken business rule; ``status`` is the HTTP status it becomes."""

    status = 400

    def __init__(self, detail):
        super().__init__(detail)
        self.detail = detail


class BusinessRuleError(ShopError):
    status = 400


class UnauthorizedError(ShopError):
    status = 401


class ForbiddenError(ShopError):
    status = 403


class NotFoundError(ShopError):
    status = 404


class ConflictError(ShopError):
    status = 409


DEFAULT_DETAILS = {
    400: "The request could not be understood.",
    401: "Authentication required: send 'Authorization: Bearer <token>'.",
    403: "You do not have permission to do that.",
    404: "The requested resource was not found.",
    405: "That method is not allowed on this path.",
    413: "The request body is too large.",
    415: "The request body must be JSON.",
    422: "The request was well-formed but has invalid fields.",
    429: "Too many requests: slow down and retry later.",
    500: "Internal server error: the problem was logged.",
    503: "The service is temporarily unavailable; retry shortly.",
}


def error_response(status, detail=None, errors=None, headers=None, fields=None):
    """Build the JSON error answer used for every non-2xx status (``fields``: extra
    members of the body, e.g. what /healthz found)."""
    title = HTTPStatus(status).phrase
    body = {
        "detail": detail or DEFAULT_DETAILS.get(status, title),
        "type": "about:blank",
        "title": title,
        "status": status,
    }
    if errors is not None:
        body["errors"] = errors
    body.update(fields or {})
    response = jsonify(body)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = "Bearer"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def flatten_validation_messages(messages):
    """webargs nests messages by location ({"json": {...}}); clients want field -> list."""
    flat = {}
    for location_messages in messages.values():
        if not isinstance(location_messages, dict):
            flat.setdefault("_schema", []).extend(_as_list(location_messages))
            continue
        for field, field_messages in location_messages.items():
            flat.setdefault(str(field), []).extend(_as_list(field_messages))
    return flat


def _as_list(messages):
    if isinstance(messages, dict):
        out = []
        for key, value in messages.items():
            out.extend(f"{key}: {message}" for message in _as_list(value))
        return out
    if isinstance(messages, list | tuple):
        return [str(message) for message in messages]
    return [str(messages)]


BAD_JSON = "The request body is not valid JSON."
NOT_JSON = "The request body must be JSON: send it with 'Content-Type: application/json'."
NOT_AN_OBJECT = "Invalid input type."


def validation_detail(errors):
    if errors.get("_schema") == [NOT_AN_OBJECT]:
        return "The request body must be a JSON object."
    parts = [f"{field}: {' '.join(messages)}" for field, messages in errors.items()]
    return "Invalid request. " + "; ".join(parts) if parts else DEFAULT_DETAILS[422]


def http_exception_response(error):
    """Turn any werkzeug HTTPException (including flask-smorest's aborts) into our shape."""
    data = getattr(error, "data", None) or {}
    headers = dict(data.get("headers") or {})
    if error.code == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    messages = data.get("errors") or data.get("messages")
    if error.code == 422 and messages:
        errors = flatten_validation_messages(messages)
        return error_response(422, validation_detail(errors), errors, headers)
    detail = data.get("message")
    if error.code == 400 and messages:
        # webargs could not parse the body at all (malformed JSON).
        detail = BAD_JSON
    if detail is None and error.code not in DEFAULT_DETAILS:
        detail = error.description
    return error_response(error.code or 500, detail, headers=headers)


def register_error_handlers(app):
    @app.errorhandler(ShopError)
    def handle_shop_error(error):
        return error_response(error.status, error.detail)

    @app.errorhandler(IntegrityError)
    @app.errorhandler(ObjectDeletedError)
    def handle_concurrent_change(error):
        # A row vanished or a constraint caught a race mid-request (e.g. a store reset under
        # a checkout): the transaction was rolled back, so the client may simply retry.
        log.warning("concurrent change: %s", getattr(error, "orig", error))
        return error_response(409, "The request conflicted with a concurrent change; retry it.")

    @app.errorhandler(Exception)
    def handle_unexpected(error):
        if isinstance(error, HTTPException):
            return http_exception_response(error)
        log.exception("unhandled error")
        return error_response(500)
