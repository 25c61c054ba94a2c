"""Rows written once, by whichever process comes first, and read by every process.

Processes that start together on one database race to write the same rows: the seed
marker and the seeded admin, the generated signing keys. ``INSERT ... ON CONFLICT DO
NOTHING`` on a unique key settles each race inside the database: on PostgreSQL a second
writer waits for the first's transaction and then inserts nothing; SQLite has one writer
at a time. So no lock is needed for correctness, and the first value is the one kept.
"""

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from ..models import SharedSetting

INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def insert_unless_present(session, model, key, values):
    """Insert a ``model`` row unless one with the same unique ``key`` column exists;
    True when this call inserted it (in the session's transaction: a rollback undoes it)."""
    insert = INSERTS[session.get_bind().dialect.name]
    statement = (
        insert(model).values(**values)
        .on_conflict_do_nothing(index_elements=[key])
        .returning(getattr(model, key))
    )
    return session.execute(statement).first() is not None


def claim(session, name, value):
    """Set the shared setting ``name`` to ``value`` unless it is set; True when set now."""
    return insert_unless_present(session, SharedSetting, "name", {"name": name, "value": value})


def settle(session, name, value):
    """The shared setting ``name``: the value stored, else ``value``, stored now. Commits."""
    claim(session, name, value)
    stored = session.scalar(select(SharedSetting.value).where(SharedSetting.name == name))
    session.commit()
    return stored
