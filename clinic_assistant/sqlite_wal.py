"""Emptying a SQLite write-ahead log, so that erased text is gone from the files too.

After a delete or rewrite under `secure_delete`, the zeroed pages sit in the `-wal` file until a
checkpoint copies them into the database file; until then the database file still holds the old
text. `PRAGMA wal_checkpoint(TRUNCATE)` does that and empties the log, but it gives up (answers
"busy") while another connection is reading an older snapshot, so it is retried for a while.
"""

from __future__ import annotations

import time

from sqlalchemy.engine import Connection

#: How long erasure keeps retrying a busy checkpoint (a reader's snapshot lasts milliseconds).
WAIT_SECONDS = 5.0
FIRST_PAUSE_SECONDS = 0.02


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
