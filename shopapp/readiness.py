"""Whether the database can serve this app, and bringing it there.

Every way of serving the shop (``shop serve``, ``waitress-serve wsgi:app``, the Docker
image) calls :func:`prepare_database` before answering, unless MIGRATE_ON_START is off.
It applies the migrations and the seed under a lock that works across processes, so any
number of processes may start at the same moment: one migrates, the others wait for it
and then find nothing left to do.

Until the schema is at the migration head every request answers 503 JSON whose ``detail``
says what to run (never a 500 from a missing table), and ``/healthz`` says which part is
not ready: the database (unreachable) or the schema (missing or behind).
"""

import fcntl
import logging
import zlib
from contextlib import contextmanager
from dataclasses import dataclass

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app, request
from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.exc import OperationalError, ProgrammingError

from .errors import error_response
from .extensions import db
from .signing_keys import load_shared_keys

log = logging.getLogger(__name__)

SCHEMA_READY = "shop.schema_ready"  # app.extensions key: True once the schema was at head
MIGRATION_HEADS = "shop.migration_heads"
# The endpoints that report readiness themselves instead of being refused.
REPORTING_ENDPOINTS = frozenset({"system.Health"})
# Any fixed 64-bit number; this one is derived from a name so it says whose lock it is.
ADVISORY_LOCK_KEY = zlib.crc32(b"shopapp: schema preparation")
INIT_HINT = "run `shop init-db` (or start the shop with `shop serve`)"
# SQLite's and PostgreSQL's (SQLSTATE 42P01 / 42703) ways of saying the schema is missing.
MISSING_SCHEMA_MESSAGES = ("no such table", "no such column")
MISSING_SCHEMA_SQLSTATES = frozenset({"42P01", "42703"})


@dataclass(frozen=True)
class SchemaState:
    status: str  # "ok", "missing" (no migration applied) or "outdated"
    detail: str | None = None

    @property
    def ok(self):
        return self.status == "ok"


def migration_heads(app):
    """The head revisions of the migration scripts (read once per app: they never change)."""
    heads = app.extensions.get(MIGRATION_HEADS)
    if heads is None:
        script = ScriptDirectory(app.extensions["migrate"].directory)
        heads = app.extensions[MIGRATION_HEADS] = frozenset(script.get_heads())
    return heads


def schema_state(app):
    """Compare the database's applied revisions with the scripts' heads (raises
    OperationalError when the database is unreachable)."""
    heads = migration_heads(app)
    with db.engine.connect() as connection:
        current = frozenset(MigrationContext.configure(connection).get_current_heads())
    if current == heads:
        return SchemaState("ok")
    if not current:
        return SchemaState("missing", f"The database has no schema yet: {INIT_HINT}.")
    return SchemaState(
        "outdated",
        f"The database schema is at revision {', '.join(sorted(current))}, not at the "
        f"migration head {', '.join(sorted(heads))}: {INIT_HINT}.",
    )


def health_report(app):
    """(healthy, body) for /healthz: which of database and schema is not ready, and why
    (an unhealthy body becomes the 503 error body, whose ``status`` is the HTTP code)."""
    try:
        state = schema_state(app)
    except OperationalError as error:
        log.error("health check: database unreachable: %s", getattr(error, "orig", error))
        return False, {"database": "unreachable", "schema": "unknown",
                       "detail": "The database is unreachable."}
    if not state.ok:
        return False, {"database": "ok", "schema": state.status, "detail": state.detail}
    mark_schema_ready(app)
    return True, {"status": "ok", "database": "ok", "schema": "ok"}


def mark_schema_ready(app):
    """Remember that the schema is at the head, after reading the signing keys the
    environment did not set from the database (``signing_keys.py``): nothing is served
    before the keys are known. Needs an app context."""
    load_shared_keys(app, db.session)
    app.extensions[SCHEMA_READY] = True


@contextmanager
def preparation_lock(engine):
    """Hold a lock that every process preparing this database takes: a PostgreSQL
    advisory lock, or an exclusive lock on a file beside the SQLite database."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"),
                                   {"key": ADVISORY_LOCK_KEY})
        return
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield  # an in-memory database belongs to this process alone
        return
    with open(f"{database}.prepare-lock", "a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def prepare_database(seed_demo=None):
    """Apply every migration, then seed (``seed_demo``, default SEED_ON_START), both
    idempotent, under the cross-process preparation lock. Needs an app context."""
    from .seed import seed

    app = current_app._get_current_object()
    if seed_demo is None:
        seed_demo = app.config["SEED_ON_START"]
    with preparation_lock(db.engine):
        upgrade(directory=app.extensions["migrate"].directory)
        if seed_demo:
            seed(db.session, app.config["ADMIN_EMAIL"], app.config["ADMIN_PASSWORD"])
        mark_schema_ready(app)


def prepare_on_start(app):
    """wsgi.py's start-up step; ``shop serve`` does the same, with a one-line error when
    the database cannot be reached."""
    if app.config["MIGRATE_ON_START"]:
        with app.app_context():
            prepare_database()


def is_missing_schema(error):
    orig = getattr(error, "orig", None) or error  # SQLAlchemy's wrapper, or the driver's own
    if getattr(orig, "sqlstate", None) in MISSING_SCHEMA_SQLSTATES:
        return True
    return any(message in str(orig) for message in MISSING_SCHEMA_MESSAGES)


def database_error_classes(app):
    """(operational, programming) error classes: SQLAlchemy's, and the driver's own for
    code on raw DBAPI connections (the catalog version read), which SQLAlchemy never wraps."""
    with app.app_context():
        dbapi = db.engine.dialect.dbapi
    return (OperationalError, dbapi.OperationalError), (ProgrammingError, dbapi.ProgrammingError)


def register_readiness(app):
    """Refuse requests with 503 until the schema is at the head; map database failures
    (unreachable, busy, schema gone) to 503 JSON instead of 500."""
    app.extensions.setdefault(SCHEMA_READY, False)
    operational_errors, programming_errors = database_error_classes(app)

    @app.before_request
    def refuse_until_schema_is_ready():
        if app.extensions[SCHEMA_READY] or request.endpoint in REPORTING_ENDPOINTS:
            return None
        state = schema_state(app)
        if state.ok:
            mark_schema_ready(app)
            return None
        return error_response(503, state.detail)

    def handle_database_error(error):
        if is_missing_schema(error):
            # The schema went away under a running process (dropped, restored from an old
            # dump): ask again on the next request instead of trusting the old answer.
            app.extensions[SCHEMA_READY] = False
            log.error("database schema missing: %s", getattr(error, "orig", error))
            return error_response(503, f"The database schema is missing or outdated: "
                                       f"{INIT_HINT}.")
        if isinstance(error, programming_errors):
            log.exception("database programming error")
            return error_response(500)
        # Down, unreachable or too busy: the client may retry; internals stay in the log.
        log.error("database error: %s", getattr(error, "orig", error))
        return error_response(503, "The database is unavailable or busy; retry shortly.",
                              headers={"Retry-After": "1"})

    for error_class in operational_errors + programming_errors:
        app.register_error_handler(error_class, handle_database_error)
