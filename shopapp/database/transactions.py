"""The transaction policy: one write request is one transaction, named on the view.

- A write view says so with ``@transactional()`` (under ``@protected``, above the
  flask-smorest decorators). When the database rolled the whole transaction back and asks
  for a retry (SQLite busy, a PostgreSQL deadlock or serialization failure), the view runs
  again from the start, up to ``retries`` attempts. Nothing is guessed from method names:
  a write view without the decorator is never re-run (tests/unit/test_transactions.py checks
  that every protected write view carries it).
- Reads (GET, HEAD) of every view are re-run the same way, installed app-wide by
  ``retry_reads``: a read has no effect to repeat.
- Commits: the service function a view calls ends its own transaction (``commit`` once,
  or ``rollback`` on a broken rule), because the same functions run from the CLI, the
  seed and the unit tests, where no view is around them.
- A constraint that catches a race (``IntegrityError``) or a row deleted under the
  request is answered 409 "retry it" in one place, ``errors.register_error_handlers``.
"""

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


def flask_session():
    from ..extensions import db  # the unbound extension; imported late to avoid a cycle

    return db.session


def transactional(retries=TRANSACTION_ATTEMPTS):
    """View decorator: the view is one transaction, re-run up to ``retries`` attempts in
    all when the database rolled it back and asks for a retry."""

    def decorator(view):
        wrapper = retry_transaction(view, flask_session, attempts=retries)
        wrapper.transaction_attempts = retries
        return wrapper

    return decorator


READ_METHODS = frozenset({"GET", "HEAD"})


def retry_reads(app, session_getter):
    """Wrap every view of ``app`` so that a GET or HEAD the database rolled back (a
    deadlock or serialization victim, SQLite busy) is run again: a read has no effect to
    repeat. Writes are retried per view (``@transactional()``). Call it after every
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
