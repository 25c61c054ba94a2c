"""Transaction retry: re-run a whole transaction the database rolled back and asked to retry."""

import time
from functools import wraps

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
