"""The conversation store's `events` table (Rasa's SQLTrackerStore): read, delete, expire.

Deleting on SQLite turns `secure_delete` on for the connection, so the deleted rows are
overwritten with zeros, then rebuilds the file (`VACUUM`: earlier page splits leave copies of rows
in unused space, which `secure_delete` does not reach) and empties the write-ahead log: the
deleted text is not left behind in the file or in the `-wal` file (clinic_assistant/sqlite_wal.py;
it says so if the file stayed busy, and the next rebuild, at the latest the daily purge's,
finishes the job).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Dict, Iterable, List, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from clinic_assistant.sqlite_wal import WAIT_SECONDS, rebuild_file, truncate_write_ahead_log

logger = logging.getLogger(__name__)

EVENTS = sa.table("events", sa.column("id"), sa.column("sender_id"), sa.column("type_name"),
                  sa.column("timestamp"), sa.column("data"))
#: Conversations deleted per statement (SQLite allows 999 bound parameters per statement).
BATCH = 500


def sqlite_engine(path: Path) -> Engine:
    """An engine on a tracker SQLite file (the file must exist: nothing is created)."""
    if not path.is_file():
        raise FileNotFoundError(f"no conversation store at {path}")
    return sa.create_engine(f"sqlite:///{path}", future=True, hide_parameters=True)


def _has_events_table(connection: Connection) -> bool:
    return sa.inspect(connection).has_table("events")


def conversation_events(engine: Engine, sender_id: str) -> List[Dict[str, Any]]:
    """Every stored event of a conversation (all sessions), oldest first, as Rasa wrote them."""
    with engine.connect() as connection:
        if not _has_events_table(connection):
            return []
        rows = connection.execute(sa.select(EVENTS.c.data).where(
            EVENTS.c.sender_id == sender_id).order_by(EVENTS.c.id)).scalars().all()
    return [json.loads(row) for row in rows]


def user_channels(engine: Engine, sender_id: str) -> List[str]:
    """The input channel of each of the conversation's user messages (e.g. "socketio")."""
    with engine.connect() as connection:
        if not _has_events_table(connection):
            return []
        rows = connection.execute(sa.select(EVENTS.c.data).where(
            EVENTS.c.sender_id == sender_id, EVENTS.c.type_name == "user")).scalars().all()
    return [str(json.loads(row).get("input_channel") or "") for row in rows]


def expired_conversations(engine: Engine, cutoff: float) -> List[str]:
    """Conversations whose newest event is older than `cutoff` (Unix seconds)."""
    with engine.connect() as connection:
        if not _has_events_table(connection):
            return []
        return list(connection.execute(
            sa.select(EVENTS.c.sender_id).group_by(EVENTS.c.sender_id)
            .having(sa.func.max(EVENTS.c.timestamp) < cutoff)).scalars())


def _batches(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), BATCH):
        yield items[start:start + BATCH]


def delete_conversations(engine: Engine, sender_ids: Sequence[str], *,
                         then_rebuild: bool = True) -> int:
    """Delete every event of these conversations and rebuild the file (unless the caller
    rebuilds it later, off its event loop); returns how many rows were deleted."""
    ids = sorted(set(sender_ids))
    if not ids:
        return 0
    deleted = 0
    with engine.begin() as connection:
        if not _has_events_table(connection):
            return 0
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA secure_delete=ON")
        for batch in _batches(ids):
            deleted += connection.execute(
                sa.delete(EVENTS).where(EVENTS.c.sender_id.in_(batch))).rowcount
    if deleted and then_rebuild:
        rebuild(engine)
    return deleted


def rebuild(engine: Engine) -> bool:
    """Write the file anew from its live rows and empty its log (SQLite; clinic_assistant/
    sqlite_wal.py); False, with a warning, if it could not."""
    return rebuild_file(engine, "the conversation store")


def checkpoint(engine: Engine, wait_seconds: float = WAIT_SECONDS) -> bool:
    """On SQLite, copy the write-ahead log into the file and empty it; False if a reader kept
    it busy throughout (the deleted rows are gone, their zeroed pages wait in the log)."""
    if engine.dialect.name != "sqlite":
        return True
    with engine.connect() as connection:
        done = truncate_write_ahead_log(connection, wait_seconds)
    if not done:
        logger.warning("The SQLite write-ahead log stayed in use; it keeps the erased text "
                       "until its next checkpoint.")
    return done
