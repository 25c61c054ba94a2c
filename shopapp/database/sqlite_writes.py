"""SQLite writers of one process take turns on a lock instead of SQLite's busy handler.

SQLite lets one transaction write at a time. A writer that finds the database busy waits
in SQLite's busy handler, which sleeps 1, 2, 5, 10 ... 100 ms between tries, so at eight
concurrent checkouts most of the time went to sleeping, not to work. Inside one process
the writers now queue on a lock instead: a transaction takes it at its first INSERT,
UPDATE or DELETE (where the driver begins the transaction) and gives it back when it
commits or rolls back, so the next writer starts the moment the last one is done. Other
processes (the CLI, a second server) still meet SQLite's own locking and busy timeout.
"""

import sqlite3
import threading

WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class TurnTakingConnection(sqlite3.Connection):
    """A DBAPI connection that holds its engine's write lock for one write transaction."""

    write_lock: threading.Lock  # one per engine: set by connection_factory()
    lock_timeout = 15.0
    holds_write_lock = False

    def take_write_turn(self):
        if self.holds_write_lock:
            return
        if not self.write_lock.acquire(timeout=self.lock_timeout):
            raise sqlite3.OperationalError("database is locked")
        self.holds_write_lock = True

    def end_write_turn(self):
        if self.holds_write_lock:
            self.holds_write_lock = False
            self.write_lock.release()

    def commit(self):
        try:
            super().commit()
        finally:
            self.end_write_turn()

    def rollback(self):
        try:
            super().rollback()
        finally:
            self.end_write_turn()

    def close(self):
        try:
            super().close()
        finally:
            self.end_write_turn()


def connection_factory(lock_timeout):
    """A connection class sharing one new write lock (use one per engine)."""
    return type("EngineConnection", (TurnTakingConnection,),
                {"write_lock": threading.Lock(), "lock_timeout": lock_timeout})


def is_write(statement):
    return statement.lstrip()[:7].upper().startswith(WRITE_VERBS)


def take_turn_before_writes(_connection, cursor, statement, _parameters, _context,
                            _executemany):
    """``before_cursor_execute`` listener: wait for this process's turn to write."""
    dbapi_connection = cursor.connection
    if isinstance(dbapi_connection, TurnTakingConnection) and is_write(statement):
        dbapi_connection.take_write_turn()
