"""Read when each handoff was created (number, sender, time) from the handoff database."""

from __future__ import annotations

from pathlib import Path
from typing import Optional
from urllib.parse import quote

from sqlalchemy import DateTime, Integer, String, column, create_engine, inspect, select, table
from sqlalchemy.exc import SQLAlchemyError

from clinic_assistant.reporting.references import HandoffTimes, handoff_times

HANDOFFS = table(
    "handoffs",
    column("id", Integer), column("conversation_id", String), column("created_at", DateTime),
)


def sqlite_file(url: str) -> Optional[Path]:
    """The file of a plain `sqlite:///path` URL, else None."""
    prefix = "sqlite:///"
    return Path(url[len(prefix):]) if url.startswith(prefix) and "?" not in url else None


def read_handoff_times(url: str) -> HandoffTimes:
    """The handoffs stored at `url`; none if there is no such database or table.

    A SQLite file that does not exist is not created.
    """
    path = sqlite_file(url)
    if path is not None:
        if not path.is_file():
            return HandoffTimes()
        url = f"sqlite:///file:{quote(str(path.resolve()))}?mode=ro&uri=true"
    try:
        engine = create_engine(url)
    except (SQLAlchemyError, ValueError):
        return HandoffTimes()
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table("handoffs"):
                return HandoffTimes()
            query = select(HANDOFFS.c.conversation_id, HANDOFFS.c.created_at, HANDOFFS.c.id)
            rows = [tuple(row) for row in connection.execute(query)]
    except SQLAlchemyError:
        return HandoffTimes()
    finally:
        engine.dispose()
    return handoff_times([r for r in rows if r[1] is not None])
