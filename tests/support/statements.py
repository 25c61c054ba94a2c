"""Counting the SQL statements a request sends (the performance rules' measure)."""

from contextlib import contextmanager

from sqlalchemy import event

from shopapp.extensions import db


@contextmanager
def counted_statements(app):
    """Every SQL statement the app's engine sends while the block runs."""
    with app.app_context():
        engine = db.engine
    statements = []

    def record(_connection, _cursor, statement, _parameters, _context, _executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def statements_for(app, client, method, url, headers, **kwargs):
    with counted_statements(app) as statements:
        response = client.open(url, method=method, headers=headers, **kwargs)
    assert response.status_code < 300, response.json
    return len(statements)
