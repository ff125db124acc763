"""The caching tracker store returns exactly what Rasa's SQL store reads from the database.

On a SQLite file by default; with `pytest --postgresql` the same tests run on a fresh database
of a private PostgreSQL server (tests/postgres_server.py), except the SQLite-only ones.
"""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import sqlalchemy as sa

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered,
)

from clinic_assistant.serving.tracker_store import CachedSQLTrackerStore


@pytest.fixture(scope="module")
def domain(project_root) -> Domain:
    return Domain.load(str(project_root / "domain.yml"))


@dataclass
class TrackerDatabase:
    """Where a test's conversation store lives: a SQLite file or a PostgreSQL database."""

    sqlite_file: Optional[Path] = None
    postgres: Any = None  # tests.postgres_server.PostgresServer
    name: str = ""

    def store_arguments(self) -> dict:
        if self.sqlite_file is not None:
            return {"dialect": "sqlite", "db": str(self.sqlite_file)}
        url = sa.engine.make_url(self.postgres.url)
        return {"dialect": "postgresql", "host": url.host, "port": url.port, "db": self.name,
                "username": url.username, "password": url.password}

    def stored(self) -> bytes:
        """What the store keeps: SQLite's files (with -wal and -shm), or PostgreSQL's rows."""
        if self.sqlite_file is not None:
            db = self.sqlite_file
            return b"".join(path.read_bytes() for path in sorted(db.parent.glob(db.name + "*")))
        return "\n".join(str(row) for row in self.rows("SELECT data FROM events")).encode()

    def rows(self, query: str) -> list:
        if self.sqlite_file is not None:
            with sqlite3.connect(self.sqlite_file) as connection:
                return [row[0] for row in connection.execute(query).fetchall()]
        url = sa.engine.make_url(self.postgres.url).set(database=self.name)
        engine = sa.create_engine(url)
        try:
            with engine.connect() as connection:
                return [row[0] for row in connection.execute(sa.text(query))]
        finally:
            engine.dispose()


@pytest.fixture
def db(request, tmp_path) -> TrackerDatabase:
    if request.config.getoption("--postgresql"):
        server = request.getfixturevalue("private_postgres")
        name = f"tracker_{uuid.uuid4().hex[:12]}"
        engine = sa.create_engine(server.url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.exec_driver_sql(f"CREATE DATABASE {name}")
        engine.dispose()
        return TrackerDatabase(postgres=server, name=name)
    return TrackerDatabase(sqlite_file=tmp_path / "tracker.db")


def store(cls, domain, db: TrackerDatabase, **kwargs):
    return cls(domain=domain, **db.store_arguments(), **kwargs)


def start_session(tracker) -> None:
    for event in (ActionExecuted("action_session_start"), SessionStarted(),
                  ActionExecuted("action_listen")):
        tracker.update(event)


def one_turn(tracker, number: int) -> None:
    tracker.update(UserUttered(f"question {number}", {"name": "faq_cost", "confidence": 0.9}))
    tracker.update(ActionExecuted("action_answer_faq"))
    tracker.update(BotUttered(f"answer {number}", {"buttons": [{"title": "More", "payload": "/m"}]}))
    tracker.update(SlotSet("last_faq_topic", f"topic {number}"))
    tracker.update(ActionExecuted("action_listen"))


async def conversation(cached, sender: str, turns: int) -> None:
    tracker = await cached.get_or_create_tracker(sender)
    start_session(tracker)
    await cached.save(tracker)
    for number in range(turns):
        tracker = await cached.retrieve(sender)
        one_turn(tracker, number)
        await cached.save(tracker)


async def test_served_from_memory_and_equal_to_what_rasa_reads(domain, db):
    cached = store(CachedSQLTrackerStore, domain, db)
    await conversation(cached, "p1", 12)
    assert "p1" in cached._cache
    ours, rasas = await cached.retrieve("p1"), await store(SQLTrackerStore, domain, db).retrieve("p1")
    assert [e.as_dict() for e in ours.events] == [e.as_dict() for e in rasas.events]
    assert ours.current_state() == rasas.current_state()
    assert ours.get_slot("last_faq_topic") == "topic 11"


async def test_events_written_by_someone_else_are_seen(domain, db):
    cached = store(CachedSQLTrackerStore, domain, db)
    await conversation(cached, "p1", 3)
    other = store(SQLTrackerStore, domain, db)
    tracker = await other.retrieve("p1")
    one_turn(tracker, 99)
    await other.save(tracker)
    assert (await cached.retrieve("p1")).get_slot("last_faq_topic") == "topic 99"


async def test_a_new_session_is_read_as_rasa_reads_it(domain, db):
    cached = store(CachedSQLTrackerStore, domain, db)
    await conversation(cached, "p1", 3)
    tracker = await cached.retrieve("p1")
    start_session(tracker)
    one_turn(tracker, 7)
    await cached.save(tracker)
    ours, rasas = await cached.retrieve("p1"), await store(SQLTrackerStore, domain, db).retrieve("p1")
    assert [e.as_dict() for e in ours.events] == [e.as_dict() for e in rasas.events]
    assert sum(isinstance(e, SessionStarted) for e in ours.events) == 1


async def test_unsaved_changes_to_a_retrieved_tracker_are_not_served(domain, db):
    cached = store(CachedSQLTrackerStore, domain, db)
    await conversation(cached, "p1", 2)
    one_turn(await cached.retrieve("p1"), 50)  # never saved
    assert (await cached.retrieve("p1")).get_slot("last_faq_topic") == "topic 1"


async def test_only_the_most_recent_conversations_are_kept(domain, db):
    cached = store(CachedSQLTrackerStore, domain, db, cache_size=2)
    for sender in ("p1", "p2", "p3"):
        await conversation(cached, sender, 1)
    assert list(cached._cache) == ["p2", "p3"]
    assert (await cached.retrieve("p1")).get_slot("last_faq_topic") == "topic 0"


async def test_unknown_conversation_is_none(domain, db):
    assert await store(CachedSQLTrackerStore, domain, db).retrieve("nobody") is None


def test_sqlite_file_uses_write_ahead_logging(domain, db):
    if db.sqlite_file is None:
        pytest.skip("SQLite only")
    cached = store(CachedSQLTrackerStore, domain, db)
    with cached.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    assert db.rows("PRAGMA journal_mode") == ["wal"]


async def test_a_refused_callback_form_leaves_no_detail_in_the_store(domain, db, content):
    from tests.clinic_assistant.privacy.test_callback_erasure import (
        DETAILS, consent_answer, form_until_consent)

    cached = store(CachedSQLTrackerStore, domain, db)
    tracker = await cached.get_or_create_tracker("p1")
    start_session(tracker)
    await cached.save(tracker)
    form = form_until_consent()
    for start in range(0, len(form), 6):  # one save per turn, as Rasa saves
        tracker = await cached.retrieve("p1")
        for event in form[start:start + 6]:
            tracker.update(event)
        await cached.save(tracker)
    assert b"sam.jones@example.com" in db.stored()
    tracker = await cached.retrieve("p1")
    for event in consent_answer(False, None):
        tracker.update(event)
    await cached.save(tracker)

    raw = db.stored()
    assert [raw.count(value.encode()) for value in (*DETAILS, "555 12")] == [0] * 5
    placeholder = content.message("callback_details_removed")
    assert raw.count(placeholder.encode()) > 6
    # Rows were rewritten in place: the next turn is stored after them, and both stores agree.
    tracker = await cached.retrieve("p1")
    one_turn(tracker, 1)
    await cached.save(tracker)
    ours, rasas = await cached.retrieve("p1"), await store(SQLTrackerStore, domain, db).retrieve("p1")
    assert [e.as_dict() for e in ours.events] == [e.as_dict() for e in rasas.events]
    assert ours.get_slot("last_faq_topic") == "topic 1"
    assert ours.get_slot("callback_name") is None
    [count] = db.rows("SELECT count(*) FROM events WHERE data LIKE '%question 1%'")
    assert count == 1  # stored once, neither lost nor repeated


async def test_a_stored_callback_request_keeps_its_details(domain, db):
    from tests.clinic_assistant.privacy.test_callback_erasure import (
        consent_answer, form_until_consent)

    cached = store(CachedSQLTrackerStore, domain, db)
    tracker = await cached.get_or_create_tracker("p1")
    for event in form_until_consent() + consent_answer(True, "CB-7K3QX"):
        tracker.update(event)
    await cached.save(tracker)
    assert b"sam.jones@example.com" in db.stored()
