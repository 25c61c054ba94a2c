"""For the measuring scripts: start a PostgreSQL database from nothing, as a new SQLite file does.

Imported by profile_requests.py and bench_backoffice.py. It drops every table of the
database it is given: point it only at a database kept for measuring.
"""


def empty_database(url):
    """Drop every table of the PostgreSQL database at ``url``; a SQLite URL is left alone
    (it names a new file)."""
    if not url.startswith("postgresql"):
        return
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
