"""Export, erasure and purge on real SQLite files written by the project's real tracker store,
with no Rasa server running (the command then changes the files directly)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sqlite3
import time
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from clinic_assistant.handoff.records import utc_now
from clinic_assistant.handoff.store import HandoffStore
from clinic_assistant.retention.cli import main
from clinic_assistant.retention.erasure import Identifier
from clinic_assistant.serving.tracker_store import CachedSQLTrackerStore
from clinic_assistant.settings import get_settings


def store_on(path: Path) -> CachedSQLTrackerStore:
    return CachedSQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(path))


def save(store: CachedSQLTrackerStore, sender: str, text: str, at: float) -> DialogueStateTracker:
    tracker = DialogueStateTracker.from_events(sender, [
        ActionExecuted("action_session_start", timestamp=at), SessionStarted(timestamp=at),
        ActionExecuted("action_listen", timestamp=at),
        UserUttered(text, {"name": "greet"}, timestamp=at + 1, input_channel="socketio"),
        BotUttered("Hello", timestamp=at + 2)])
    asyncio.run(store.save(tracker))
    return tracker


def file_bytes(path: Path) -> bytes:
    """The database file and its write-ahead log, as bytes."""
    return b"".join(p.read_bytes() for p in (path, path.with_name(path.name + "-wal"))
                    if p.exists())


def count(path: Path, sql: str, *params) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute(sql, params).fetchone()[0]


@pytest.fixture
def files(tmp_path, monkeypatch):
    tracker_db = tmp_path / "tracker.db"
    handoff_url = f"sqlite:///{tmp_path / 'handoff.db'}"
    monkeypatch.setenv("TRACKER_DB", str(tracker_db))
    monkeypatch.setenv("HANDOFF_DB_URL", handoff_url)
    monkeypatch.setenv("RASA_URL", "http://127.0.0.1:9")  # nothing listens: files directly
    get_settings.cache_clear()
    yield tracker_db, handoff_url, tmp_path / "handoff.db"
    get_settings.cache_clear()


def test_a_tracker_held_in_memory_cannot_write_erased_events_back(files) -> None:
    tracker_db, _, _ = files
    store = store_on(tracker_db)
    stale = save(store, "patient", "my name is Robin Quail", time.time() - 10)
    assert b"Robin Quail" in file_bytes(tracker_db)
    assert store.erase(["patient"]) == 5
    # A request that still held the tracker saves it with one new event.
    stale.update(UserUttered("hello again", {"name": "greet"}))
    asyncio.run(store.save(stale))
    rows = count(tracker_db, "SELECT count(*) FROM events WHERE sender_id = 'patient'")
    assert rows == 1
    assert count(tracker_db, "SELECT count(*) FROM events WHERE data LIKE '%Robin Quail%'") == 0
    assert b"Robin Quail" not in file_bytes(tracker_db)


def test_export_and_erase_by_handoff_number_without_a_server(files, tmp_path, capsys) -> None:
    tracker_db, handoff_url, handoff_path = files
    store = store_on(tracker_db)
    save(store, "patient", "my name is Robin Quail", time.time())
    save(store, "other", "keep me", time.time())
    handoffs = HandoffStore.from_url(handoff_url)
    number = handoffs.save_callback("patient", "requested", name="Robin Quail",
                                    contact="robin@example.com", preferred_time="noon",
                                    reason_text="cost").id
    handoffs.start_live("other", "requested")
    with sqlite3.connect(handoff_path) as connection:
        connection.execute("INSERT INTO audit_log (at, actor, action, handoff_id, address, outcome)"
                           " VALUES ('2026-11-30 10:00:00', 'anna', 'open_transcript', ?, "
                           "'127.0.0.1', 'ok')", (number,))

    assert all(b"Robin Quail" in file_bytes(path) for path in (tracker_db, handoff_path))
    out = tmp_path / "copy.json"
    assert main(["export", "--handoff", str(number), "--out", str(out)]) == 0
    data = json.loads(out.read_text())
    assert [e["text"] for e in data["events"] if e["event"] == "user"] == ["my name is Robin Quail"]
    assert data["handoffs"][0]["callback"]["contact"] == "robin@example.com"

    assert main(["erase", "--handoff", str(number), "--yes"]) == 0
    assert "in the files (no Rasa server running)" in capsys.readouterr().out
    assert count(tracker_db, "SELECT count(*) FROM events WHERE sender_id = 'patient'") == 0
    assert count(tracker_db, "SELECT count(*) FROM events WHERE sender_id = 'other'") == 5
    assert count(handoff_path, "SELECT count(*) FROM handoffs WHERE conversation_id = 'patient'") == 0
    assert count(handoff_path, "SELECT count(*) FROM callback_requests") == 0
    assert count(handoff_path, "SELECT count(*) FROM handoffs") == 1
    assert count(handoff_path, "SELECT count(*) FROM audit_log") == 1  # kept
    for path in (tracker_db, handoff_path):
        assert b"Robin Quail" not in file_bytes(path)
    assert main(["export", "--handoff", str(number)]) == 1
    assert main(["erase", "--conversation", "patient", "--yes"]) == 1
    assert "nothing is stored for the conversation" in capsys.readouterr().err


def test_purge_follows_the_retention_in_the_content_file(files, capsys) -> None:
    tracker_db, handoff_url, handoff_path = files
    store = store_on(tracker_db)
    save(store, "old", "hello", time.time() - 91 * 86400)
    save(store, "recent", "hello", time.time() - 89 * 86400)
    handoffs = HandoffStore.from_url(handoff_url)
    for conversation in ("recent", "recent"):
        handoffs.start_live(conversation, "requested")
    first = handoffs.close(1, "anna")
    assert first is not None
    with sqlite3.connect(handoff_path) as connection:
        connection.execute("UPDATE handoffs SET created_at = ? WHERE id = 1",
                           (str(utc_now() - dt.timedelta(days=91)),))
    assert main(["purge"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("purge: 1 conversation(s) older than 90 days"), printed
    assert "1 handoff record(s) older than 90 days" in printed
    assert count(tracker_db, "SELECT count(DISTINCT sender_id) FROM events") == 1
    assert count(handoff_path, "SELECT id FROM handoffs") == 2  # the open one stays


@pytest.mark.parametrize("body, expected", [
    ({"handoff": 12}, Identifier(handoff_number=12)),
    ({"handoff": "#12"}, Identifier(handoff_number=12)),
    ({"reference": " cb-7k3qx "}, Identifier(reference="CB-7K3QX")),
    ({"conversation_id": "abc"}, Identifier(conversation_id="abc")),
])
def test_identifiers_from_request_bodies(body, expected) -> None:
    assert Identifier.from_json(body) == expected


@pytest.mark.parametrize("body", [
    [], "x", {}, {"handoff": True}, {"handoff": "twelve"}, {"reference": "CB-1"},
    {"conversation_id": 5}, {"conversation_id": "x" * 256}, {"handoff": 1, "reference": "CB-22222"},
])
def test_bad_identifiers_are_explained(body) -> None:
    with pytest.raises(ValueError):
        Identifier.from_json(body)
