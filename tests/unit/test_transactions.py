"""The transaction policy (shopapp/database/transactions.py): write views say so."""

import pytest
from sqlalchemy.exc import OperationalError

from shopapp import create_app
from shopapp.database.transactions import TRANSACTION_ATTEMPTS, retry_transaction

WRITE_METHODS = ("post", "put", "patch", "delete")


def protected_methods(app):
    for endpoint, view in app.view_functions.items():
        view_class = getattr(view, "view_class", None)
        for method in WRITE_METHODS:
            handler = getattr(view_class, method, None)
            if handler is not None and getattr(handler, "protected", False):
                yield f"{endpoint}.{method}", handler


def test_every_protected_write_view_is_one_retried_transaction(tmp_path):
    app = create_app({"ENV_NAME": "testing", "INSTANCE_PATH": str(tmp_path)})
    handlers = dict(protected_methods(app))
    assert len(handlers) >= 15
    missing = [name for name, handler in handlers.items()
               if getattr(handler, "transaction_attempts", None) != TRANSACTION_ATTEMPTS]
    assert missing == [], "write views without @transactional(): " + ", ".join(missing)


class FakeSession:
    rollbacks = 0

    def rollback(self):
        self.rollbacks += 1


@pytest.mark.parametrize(("message", "calls"), [("database is locked", 3), ("no such table", 1)])
def test_only_retryable_errors_run_the_transaction_again(message, calls):
    session, seen = FakeSession(), []

    def view():
        seen.append(1)
        raise OperationalError("UPDATE", {}, Exception(message))

    with pytest.raises(OperationalError):
        retry_transaction(view, lambda: session, attempts=3)()
    assert len(seen) == calls
    assert session.rollbacks == calls - 1
