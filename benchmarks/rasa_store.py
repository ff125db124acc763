"""Tracker store files written by Rasa's own SQLTrackerStore (the schema and rows Rasa makes)."""

from __future__ import annotations

import asyncio
import sqlite3
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Iterable, List, Optional, Sequence

from rasa.shared.core.events import (
    ActionExecuted, ActiveLoop, BotUttered, Event, SessionStarted, SlotSet, UserUttered,
)

PROJECT_ROOT = Path(__file__).resolve().parents[1]
START = 1_772_366_400.0  # 2026-03-01 12:00 UTC


def session_start(timestamp: float) -> List[Event]:
    """The events of a new session."""
    return [ActionExecuted("action_session_start", timestamp=timestamp),
            SessionStarted(timestamp=timestamp),
            ActionExecuted("action_listen", timestamp=timestamp)]


def turn(text: str, intent: str, timestamp: float, *, entities: Sequence[dict] = (),
         reply: str = "a reply", after: Sequence[Event] = ()) -> List[Event]:
    """A user message, what the bot did (`after`, e.g. ActiveLoop events) and action_listen."""
    parse_data = {"intent": {"name": intent, "confidence": 0.9}, "entities": list(entities),
                  "text": text}
    return [UserUttered(text, parse_data["intent"], list(entities), parse_data,
                        timestamp=timestamp),
            *after,
            BotUttered(reply, timestamp=timestamp + 0.1),
            ActionExecuted("action_listen", timestamp=timestamp + 0.2)]


def form_start(timestamp: float, form: str = "callback_form") -> List[Event]:
    """The form runs and opens (Rasa's ActiveLoop event) and asks its first question."""
    return [ActionExecuted(form, timestamp=timestamp), ActiveLoop(form, timestamp=timestamp),
            SlotSet("requested_slot", "callback_name", timestamp=timestamp)]


def form_end(timestamp: float) -> List[Event]:
    """The form closes (ActiveLoop with no name)."""
    return [ActiveLoop(None, timestamp=timestamp), SlotSet("requested_slot", None,
                                                            timestamp=timestamp)]


def write_conversations(path: Path, conversations: Iterable[tuple]) -> Path:
    """Save (sender id, events) pairs with Rasa's SQLTrackerStore into the SQLite file `path`."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        domain = Domain.load(str(PROJECT_ROOT / "domain.yml"))
        store = SQLTrackerStore(domain, dialect="sqlite", db=str(path))

    async def save_all() -> None:
        for sender, events in conversations:
            tracker = DialogueStateTracker(sender, domain.slots)
            for event in events:
                tracker.update(event)
            await store.save(tracker)

    # In a thread of its own: a caller may already run an event loop (Playwright does).
    with ThreadPoolExecutor(max_workers=1) as worker:
        worker.submit(asyncio.run, save_all()).result()
    store.engine.dispose()
    return path


#: Replaced in the copies' rows by `words(n)` (see copy_conversation).
MARKER = "MARKER"


def copy_conversation(path: Path, sender: str, copies: int, *, spread_seconds: float,
                      prefix: str = "copy-", words: Callable[[int], str] = str) -> None:
    """Repeat the rows Rasa stored for `sender` under `copies` new senders, spread in time.

    MARKER in the stored texts becomes `words(n)` in copy n (plain words: the rows stay JSON).
    """
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT type_name, timestamp, intent_name, action_name, data FROM events"
                          " WHERE sender_id = ? ORDER BY id", (sender,)).fetchall()
        step = spread_seconds / max(copies, 1)
        batch = []
        for n in range(copies):
            for type_name, timestamp, intent, action, data in rows:
                moved = None if timestamp is None else timestamp + n * step
                batch.append((f"{prefix}{n:06d}", type_name, moved, intent, action,
                              data.replace(MARKER, words(n)) if data else data))
        db.executemany("INSERT INTO events (sender_id, type_name, timestamp, intent_name, "
                       "action_name, data) VALUES (?, ?, ?, ?, ?, ?)", batch)


def sender_ids(path: Path, like: Optional[str] = None) -> List[str]:
    """The distinct sender ids in the file."""
    with sqlite3.connect(path) as db:
        query = "SELECT DISTINCT sender_id FROM events"
        rows = db.execute(query + " WHERE sender_id LIKE ?", (like,)) if like else db.execute(query)
        return [r[0] for r in rows]
