"""Transaction retry: re-run a whole transaction the database rolled back and asked to retry."""

import time
from functools import wraps

from flask import request
from sqlalchemy.exc import OperationalError

# Errors after which re-running the whole transaction is safe: the database rolled it back.
RETRYABLE_MESSAGES = (
    "database is locked",  # SQLite: busy timeout ran out
    "could not serialize access",  # PostgreSQL serialization failure
    "deadlock detected",  # PostgreSQL deadlock victim
)
TRANSACTION_ATTEMPTS = 3


def is_retryable(error):
    return any(message in str(error) for message in RETRYABLE_MESSAGES)


def retry_transaction(func, session_getter, attempts=TRANSACTION_ATTEMPTS):
    """Run ``func`` again (after a rollback) when the database asks for a retry.

    Only for views whose work is one transaction: a failure rolled all of it back.
    """

    @wraps(func)
    def wrapper(*args, **kwargs):
        for attempt in range(1, attempts + 1):
            try:
                return func(*args, **kwargs)
            except OperationalError as error:
                if attempt == attempts or not is_retryable(error):
                    raise
                session_getter().rollback()
                time.sleep(0.05 * attempt)

    return wrapper


READ_METHODS = frozenset({"GET", "HEAD"})


def retry_reads(app, session_getter):
    """Wrap every view of ``app`` so that a GET or HEAD the database rolled back (a
    deadlock or serialization victim, SQLite busy) is run again: a read has no effect to
    repeat. Writes are retried per view (``auth.access.protected``). Call it after every
    view is registered."""
    for endpoint, view in list(app.view_functions.items()):
        app.view_functions[endpoint] = _retrying_reads(view, session_getter)


def _retrying_reads(view, session_getter):
    retried = retry_transaction(view, session_getter)

    @wraps(view)
    def dispatch(*args, **kwargs):
        if request.method in READ_METHODS:
            return retried(*args, **kwargs)
        return view(*args, **kwargs)

    return dispatch
