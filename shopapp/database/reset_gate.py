"""The reset gate: one lock every transaction passes first, so a reset needs no table locks.

``POST /admin/reset`` (and ``shop reset-db``) empties every table while other processes
serve. It used to ``LOCK TABLE`` a list of tables in ACCESS EXCLUSIVE mode, and met
requests that already held a table later in that list (the catalog read holds
``catalog_version`` and wants ``products``; an authenticated write has read ``users``):
PostgreSQL found a deadlock and aborted one side, which answered 503.

The design is one global lock order. On PostgreSQL every transaction begins with
``pg_advisory_xact_lock_shared(GATE_KEY)``; the reset's transaction begins with the
exclusive ``pg_advisory_xact_lock(GATE_KEY)`` instead. Shared holders never wait for each
other. The exclusive request waits until every transaction already inside has ended, and
transactions that begin meanwhile queue behind it (PostgreSQL grants a lock to a newcomer
only when no waiting request conflicts with it), so while the reset runs it is alone: its
TRUNCATE meets no table lock, no transaction waits on the reset while holding something
the reset wants, and nothing can deadlock. Requests wait for the reset (tens of
milliseconds); none is refused. Being transaction-level, the gate goes with the commit or
rollback, and with the connection when a process dies.

The gate is taken in SQLAlchemy's ``begin`` event, so every transaction on the engine
passes it: requests, CLI commands, migrations. AUTOCOMMIT connections (the preparation
lock in readiness.py) hold no transaction and skip it. The catalog-version read in
products/catalog_cache.py uses a raw DBAPI connection and skips it on purpose: it reads
one row of ``catalog_version``, a table the reset never truncates (readers never wait for
the row update its trigger makes). The gate costs no round trip of its own: it travels
with the transaction's ``BEGIN`` (``pass_the_gate``; docs/PERFORMANCE.md, "Reset gate").

SQLite needs no gate: one writer at a time for the whole file already serialises a reset
against every other write, across processes (busy timeout), and WAL readers read a
snapshot without waiting for the writer.

Deadlock or serialization victims from outside the gate (other tools on the database)
are re-run (this package's transactions.py): writes by their view's
``@transactional()``, reads by ``retry_reads``, installed on every view.
"""

import zlib

from sqlalchemy import event

# Any fixed 64-bit number; derived from a name so pg_locks says whose lock it is.
GATE_KEY = zlib.crc32(b"shopapp: reset gate")
GATE_OPTION = "shop_reset_gate"  # execution option: "exclusive" for the reset's transaction
SHARED_SQL = f"SELECT pg_advisory_xact_lock_shared({GATE_KEY})"
EXCLUSIVE_SQL = f"SELECT pg_advisory_xact_lock({GATE_KEY})"


def pass_the_gate(connection):
    """``begin`` listener: take the gate, shared, or exclusive when the reset asks.

    psycopg would send its own ``BEGIN`` before the gate's ``SELECT``: one round trip
    each. So the listener sends both in one simple query, ``BEGIN; SELECT ...``, with
    the driver connection in autocommit mode so that psycopg adds no ``BEGIN`` of its
    own. That is safe because psycopg's ``commit()`` and ``rollback()`` look at the
    server's transaction status, not at the autocommit flag: they end the transaction
    this ``BEGIN`` opened. SQLAlchemy sees nothing different (its ``do_begin`` is a no-op
    for DBAPI drivers). A transaction that asks for an isolation level keeps psycopg's
    ``BEGIN ISOLATION LEVEL ...`` and takes the gate after it.
    """
    options = connection.get_execution_options()
    isolation_level = options.get("isolation_level")
    if isolation_level == "AUTOCOMMIT":
        return
    gate = EXCLUSIVE_SQL if options.get(GATE_OPTION) == "exclusive" else SHARED_SQL
    if isolation_level is not None or connection.dialect.driver != "psycopg":
        connection.exec_driver_sql(gate)
        return
    driver_connection = connection.connection.driver_connection
    if not driver_connection.autocommit:
        driver_connection.autocommit = True  # idle here: the transaction begins below
    connection.exec_driver_sql(f"BEGIN; {gate}")


def install_reset_gate(engine):
    if engine.dialect.name == "postgresql":
        event.listen(engine, "begin", pass_the_gate)


def begin_alone(session):
    """End ``session``'s transaction and begin one that holds the gate exclusively.

    On return no other transaction runs on the database until this one ends (PostgreSQL;
    elsewhere it only begins a new transaction)."""
    session.rollback()
    session.connection(execution_options={GATE_OPTION: "exclusive"})
