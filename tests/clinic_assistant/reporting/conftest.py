"""A hand-made tracker store: Rasa's `events` table in a SQLite file, filled row by row."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

import numpy as np
import pytest

# The table exactly as Rasa 3.6's SQLTrackerStore creates it.
SCHEMA = """
CREATE TABLE events (
    id INTEGER NOT NULL, sender_id VARCHAR(255) NOT NULL, type_name VARCHAR(255) NOT NULL,
    timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT,
    PRIMARY KEY (id)
);
CREATE INDEX ix_events_sender_id ON events (sender_id);
"""


def at(day: int, hour: int = 12, minute: int = 0) -> float:
    """An epoch timestamp on 2026-03-<day> (UTC)."""
    return datetime(2026, 3, day, hour, minute, tzinfo=timezone.utc).timestamp()


class EventsTable:
    """Writes events the way Rasa stores them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with sqlite3.connect(path) as db:
            db.executescript(SCHEMA)

    def add(self, sender: str, type_name: str, timestamp: float, data: Dict[str, Any],
            intent: Optional[str] = None, action: Optional[str] = None) -> None:
        """One raw event row."""
        row = (sender, type_name, timestamp, intent, action,
               json.dumps({"event": type_name, "timestamp": timestamp, **data}))
        with sqlite3.connect(self.path) as db:
            db.execute("INSERT INTO events (sender_id, type_name, timestamp, intent_name, "
                       "action_name, data) VALUES (?, ?, ?, ?, ?, ?)", row)

    def session(self, sender: str, timestamp: float) -> None:
        """A new session: action_session_start, session_started, action_listen."""
        self.add(sender, "action", timestamp, {"name": "action_session_start"},
                 action="action_session_start")
        self.add(sender, "session_started", timestamp, {})
        self.add(sender, "action", timestamp, {"name": "action_listen"}, action="action_listen")

    def user(self, sender: str, text: str, intent: str, timestamp: float,
             entities: Iterable[Tuple[str, str]] = ()) -> None:
        """A user message and the bot's turn after it."""
        parse_data = {
            "intent": {"name": intent, "confidence": 0.9}, "text": text,
            "entities": [{"entity": e, "value": v} for e, v in entities],
        }
        self.add(sender, "user", timestamp, {"text": text, "parse_data": parse_data},
                 intent=intent)
        self.add(sender, "user_featurization", timestamp, {})
        self.add(sender, "bot", timestamp + 0.1, {"text": "a reply"})
        self.add(sender, "action", timestamp + 0.2, {"name": "action_listen"},
                 action="action_listen")


@pytest.fixture
def events_table(tmp_path: Path) -> EventsTable:
    """An empty `events` table in a fresh SQLite file."""
    return EventsTable(tmp_path / "tracker.db")


def first_word_encoder(texts: List[str]) -> np.ndarray:
    """A stand-in sentence encoder: texts with the same first word are identical vectors."""
    words = [(text.split() or [""])[0].lower() for text in texts]
    vocabulary = {word: index for index, word in enumerate(dict.fromkeys(words))}
    vectors = np.zeros((len(texts), max(len(vocabulary), 1)))
    for row, word in enumerate(words):
        vectors[row, vocabulary[word]] = 1.0
    return vectors


@pytest.fixture
def encode() -> Callable[[List[str]], np.ndarray]:
    """The stand-in encoder (the real one is tested in test_grouping.py)."""
    return first_word_encoder


#: A patient message that would run, format or link if it were not escaped.
HOSTILE = '<script>alert("x")</script> | *bold* [link](javascript:alert(1)) & _it_'


@pytest.fixture
def sample_report(events_table: EventsTable, encode):
    """A report over a few conversations, one of them with a hostile message."""
    from clinic_assistant.reporting.report import build_report
    from clinic_assistant.reporting.tracker_events import read_user_messages, sqlite_url

    t = events_table
    t.session("anna", at(1, 9))
    t.user("anna", "what's the wifi password", "nlu_fallback", at(1, 9, 1))
    t.user("anna", "what's the wifi password please", "nlu_fallback", at(1, 9, 2))
    t.user("anna", "I want to talk to a real person", "request_human", at(1, 9, 3))
    t.session("ben", at(3, 9))
    t.user("ben", HOSTILE, "out_of_scope", at(3, 9, 1))
    t.user("ben", "I can't feel my legs, call 07700 900123", "red_flag_symptoms", at(3, 9, 2))
    t.user("ben", "/feedback", "feedback", at(3, 9, 3),
           entities=[("rating", "unhelpful"), ("topic", "faq_cost")])
    return build_report(read_user_messages(sqlite_url(t.path)), encode=encode, tz=timezone.utc,
                        generated_at=datetime(2026, 3, 4, 8, 0, tzinfo=timezone.utc))
