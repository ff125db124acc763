"""Leaving no copy of erased text in a SQLite file: rebuild it, then empty its write-ahead log.

`secure_delete` zeroes a deleted or rewritten row where it lies, but not the copies that earlier
page splits and merges left in the unused space of other pages: when rows move between pages,
the space they leave is not cleared, so a row deleted later can still be read there (docs/
security.md has the measurement; tests/clinic_assistant/retention/test_tracker_events.py). `VACUUM`
writes the file anew from its live rows, which leaves none. In WAL mode the new pages first go
to the `-wal` file; `PRAGMA wal_checkpoint(TRUNCATE)` copies them into the database file and
empties the log, but it gives up (answers "busy") while another connection is reading an older
snapshot, so it is retried for a while.
"""

from __future__ import annotations

import logging
import time
from typing import Optional

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

logger = logging.getLogger(__name__)

#: How long erasure keeps retrying a busy checkpoint (a reader's snapshot lasts milliseconds).
WAIT_SECONDS = 5.0
FIRST_PAUSE_SECONDS = 0.02


def rebuild(connection: Connection) -> Optional[str]:
    """`VACUUM` the file; None when done, else SQLite's reason (a fixed text such as "database
    is locked" while another connection kept writing, or "database or disk is full": the copy
    needs about twice the file's size). Nothing is lost: the next rebuild finishes the job."""
    try:
        connection.exec_driver_sql("VACUUM")
    except OperationalError as error:
        return str(error.orig)
    return None


def truncate_write_ahead_log(connection: Connection, wait_seconds: float = WAIT_SECONDS) -> bool:
    """Checkpoint and empty the log, retrying while busy; False if it was still busy at the end
    (nothing to do, and True, on a database that is not in WAL mode)."""
    deadline = time.monotonic() + wait_seconds
    pause = FIRST_PAUSE_SECONDS
    while True:
        row = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()
        if row is None or not row[0]:
            return True
        if time.monotonic() + pause > deadline:
            return False
        time.sleep(pause)
        pause = min(pause * 2, 0.5)


def rebuild_and_truncate(engine: Engine, wait_seconds: float = WAIT_SECONDS) -> Optional[str]:
    """After a deletion: rebuild the file, then empty the log, on a connection of its own in
    autocommit mode (VACUUM cannot run in a transaction); None when done, else why not."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        problem = rebuild(connection)
        if not truncate_write_ahead_log(connection, wait_seconds):
            problem = problem or "the write-ahead log stayed in use"
    return problem


def rebuild_file(engine: Engine, what: str) -> bool:
    """On SQLite, rebuild the engine's file and empty its log; False, with a warning naming
    `what` (e.g. "the conversation store"), if it could not (the deleted rows are gone, copies
    may wait in the file until its next rebuild). True on other databases: nothing to do."""
    if engine.dialect.name != "sqlite":
        return True
    problem = rebuild_and_truncate(engine)
    if problem:
        logger.warning("Could not rebuild %s (%s); the SQLite file may keep copies of erased "
                       "text until its next rebuild.", what, problem)
    return problem is None
