"""Handoff and call-back records of one conversation: find, export, erase, expire (real SQLite
file, or PostgreSQL with HANDOFF_TEST_DB_URL)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from sqlalchemy import text

from benchmarks.erasure_leftovers import left_in_bytes
from clinic_assistant.handoff.audit import AuditLog
from clinic_assistant.handoff.records import utc_now
from clinic_assistant.handoff.retention import HandoffRetention
from clinic_assistant.handoff.store import HandoffStore


def callback(store: HandoffStore, conversation: str) -> tuple:
    view = store.save_callback(conversation, "requested", name="Ada Byron",
                               contact="ada@example.com", preferred_time="noon",
                               reason_text="recovery")
    return view.id, view.callback.reference


def age(store: HandoffStore, handoff_id: int, days: int) -> None:
    with store.session_factory.begin() as session:
        session.execute(text("UPDATE handoffs SET created_at = :at WHERE id = :id"),
                        {"at": utc_now() - dt.timedelta(days=days), "id": handoff_id})


def test_find_by_number_or_reference_and_export(handoff_store: HandoffStore) -> None:
    number, reference = callback(handoff_store, "conv-a")
    retention = HandoffRetention(handoff_store.session_factory)
    assert retention.conversation_of_handoff(number) == "conv-a"
    assert retention.conversation_of_reference(reference.lower()) == "conv-a"
    assert retention.conversation_of_handoff(number + 99) is None
    assert retention.conversation_of_reference("CB-22222") is None
    [record] = retention.records("conv-a")
    assert record["number"] == number and record["callback"]["contact"] == "ada@example.com"


def test_erase_removes_the_conversations_rows_only_and_keeps_the_audit_trail(
        handoff_store: HandoffStore) -> None:
    number, reference = callback(handoff_store, "conv-a")
    handoff_store.start_live("conv-a", "requested")
    kept = handoff_store.start_live("conv-b", "requested").id
    AuditLog(handoff_store.session_factory).record("anna", "open_transcript", "127.0.0.1", "ok",
                                                   number)
    retention = HandoffRetention(handoff_store.session_factory)
    assert retention.erase(["conv-a"]) == {"handoffs": 2, "callbacks": 1,
                                           "references": [reference]}
    assert retention.records("conv-a") == [] and handoff_store.get(kept) is not None
    since = utc_now() - dt.timedelta(days=1)
    assert [e.handoff_id for e in AuditLog(handoff_store.session_factory).entries(
        since, utc_now() + dt.timedelta(days=1))] == [number]
    assert retention.erase(["conv-a"]) == {"handoffs": 0, "callbacks": 0, "references": []}


def test_purge_handoffs_keeps_open_chats_and_call_backs(handoff_store: HandoffStore) -> None:
    old_closed = handoff_store.start_live("c1", "requested").id
    handoff_store.close(old_closed, "anna")
    old_open = handoff_store.start_live("c2", "requested").id
    recent_closed = handoff_store.start_live("c3", "requested").id
    handoff_store.close(recent_closed, "anna")
    old_callback, _ = callback(handoff_store, "c4")
    for number in (old_closed, old_open, old_callback):
        age(handoff_store, number, 91)
    age(handoff_store, recent_closed, 89)
    retention = HandoffRetention(handoff_store.session_factory)
    assert retention.purge_handoffs(utc_now(), 90) == 1
    assert handoff_store.get(old_closed) is None
    assert all(handoff_store.get(n) for n in (old_open, recent_closed, old_callback))


def test_call_backs_past_their_retention_name_their_conversations(
        handoff_store: HandoffStore) -> None:
    callback(handoff_store, "old")
    callback(handoff_store, "recent")
    retention = HandoffRetention(handoff_store.session_factory)
    later = utc_now() + dt.timedelta(days=31)
    assert sorted(retention.expired_callback_conversations(later, 30)) == ["old", "recent"]
    assert retention.expired_callback_conversations(utc_now(), 30) == []


def test_erased_call_backs_leave_no_copy_in_the_file_bytes(handoff_store: HandoffStore,
                                                           handoff_db_url: str) -> None:
    """Months of call-backs erased in rounds: page splits of the conversation index leave
    copies of deleted ids in unused space unless the file is rebuilt (seed 1 did, before)."""
    if not handoff_db_url.startswith("sqlite:///"):
        pytest.skip("PostgreSQL: the bytes are in the server's files")
    path = Path(handoff_db_url[len("sqlite:///"):])
    rng = random.Random(1)
    names = {f"conv-{rng.getrandbits(32):08x}": f"Quill{rng.getrandbits(32):08x}"
             for _ in range(2000)}
    for conversation, name in names.items():
        handoff_store.save_callback(conversation, "requested", name=name,
                                    contact=f"{name.lower()}@example.com",
                                    preferred_time="noon", reason_text="x" * rng.randint(10, 300))
    retention = HandoffRetention(handoff_store.session_factory)
    alive, gone = sorted(names), []
    for _ in range(4):
        victims = rng.sample(alive, 100)
        alive = [c for c in alive if c not in victims]
        gone += victims
        assert retention.erase(victims)["callbacks"] == 100
        assert left_in_bytes(path, gone + [names[c] for c in gone]) == []
    assert all(retention.records(c) for c in alive[:50])
