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

import time

from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

#: How long erasure keeps retrying a busy checkpoint (a reader's snapshot lasts milliseconds).
WAIT_SECONDS = 5.0
FIRST_PAUSE_SECONDS = 0.02


def rebuild(connection: Connection) -> bool:
    """`VACUUM` the file (outside a transaction); False if it could not, for example while
    another connection kept writing or the disk had no room for the copy (nothing is lost:
    the next rebuild finishes the job)."""
    try:
        connection.exec_driver_sql("VACUUM")
    except OperationalError:
        return False
    return True


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


def rebuild_and_truncate(connection: Connection, wait_seconds: float = WAIT_SECONDS) -> bool:
    """After a deletion: rebuild the file, then empty the log; False if either step failed."""
    rebuilt = rebuild(connection)
    return truncate_write_ahead_log(connection, wait_seconds) and rebuilt
