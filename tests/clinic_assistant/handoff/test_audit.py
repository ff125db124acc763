"""The audit trail on a real SQLite file: entries by date range, and no way to change them."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path

import pytest

from clinic_assistant.handoff.audit import AuditLine, AuditLog
from clinic_assistant.handoff.store import HandoffStore

DAY = dt.datetime(2026, 11, 15, 9, 30)


@pytest.fixture
def audit_log(handoff_store: HandoffStore) -> AuditLog:
    return AuditLog(handoff_store.session_factory)


def sqlite_path(url: str) -> Path:
    if not url.startswith("sqlite:///"):
        pytest.skip("reads the SQLite file directly")
    return Path(url[len("sqlite:///"):])


def test_entries_come_back_for_their_date_range_oldest_first(audit_log: AuditLog) -> None:
    audit_log.record("anna", "claim", "10.0.0.7", "ok", 12, at=DAY)
    audit_log.record("ben", "open_transcript", "10.0.0.8", "ok", 12, at=DAY - dt.timedelta(hours=1))
    audit_log.record("anna", "close", "10.0.0.7", "ok", 12, at=DAY + dt.timedelta(days=20))
    found = audit_log.entries(dt.datetime(2026, 11, 1), dt.datetime(2026, 12, 1))
    assert [(e.actor, e.action) for e in found] == [("ben", "open_transcript"), ("anna", "claim")]
    assert found[1] == AuditLine(DAY, "anna", "claim", 12, "10.0.0.7", "ok")
    assert audit_log.entries(dt.datetime(2026, 11, 15, 9, 30, 1), dt.datetime(2026, 12, 1)) == []


def test_an_entry_prints_as_one_line_without_patient_text(audit_log: AuditLog) -> None:
    line = AuditLine(DAY, "anna", "called_back", 7, "10.0.0.7", "ok").as_text()
    assert line.split() == ["2026-11-15", "09:30:00Z", "10.0.0.7", "anna", "called_back", "#7",
                            "ok"]
    unknown = AuditLine(DAY, "(unknown account)", "sign_in", None, "10.0.0.9",
                        "failed: unknown account").as_text()
    assert re.search(r"\(unknown account\)\s+sign_in\s+-\s+failed: unknown account$", unknown)


def test_recorded_since_looks_at_successes_of_the_same_member_action_and_record(
        audit_log: AuditLog) -> None:
    audit_log.record("anna", "open_transcript", "10.0.0.7", "ok", 3, at=DAY)
    audit_log.record("anna", "open_transcript", "10.0.0.7", "not found", 4, at=DAY)
    since = DAY - dt.timedelta(minutes=10)
    assert audit_log.recorded_since("anna", "open_transcript", 3, since)
    assert not audit_log.recorded_since("anna", "open_transcript", 4, since)
    assert not audit_log.recorded_since("ben", "open_transcript", 3, since)
    assert not audit_log.recorded_since("anna", "open_transcript", 3, DAY + dt.timedelta(seconds=1))


@pytest.mark.parametrize("statement", [
    "UPDATE audit_log SET actor = 'someone else'",
    "DELETE FROM audit_log",
    "DELETE FROM audit_log WHERE id = 1",
])
def test_the_database_refuses_to_change_or_delete_entries(
        audit_log: AuditLog, handoff_db_url: str, statement: str) -> None:
    """Even with the database file open directly, entries cannot be edited or removed."""
    audit_log.record("anna", "claim", "10.0.0.7", "ok", 12, at=DAY)
    with sqlite3.connect(sqlite_path(handoff_db_url)) as connection:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            connection.execute(statement)
    assert [e.actor for e in audit_log.entries(DAY, DAY + dt.timedelta(days=1))] == ["anna"]


def test_long_values_are_cut_to_the_column_sizes(audit_log: AuditLog) -> None:
    audit_log.record("a" * 100, "b" * 100, "c" * 100, "d" * 100, None, at=DAY)
    entry = audit_log.entries(DAY, DAY + dt.timedelta(days=1))[0]
    assert (len(entry.actor), len(entry.action), len(entry.address), len(entry.outcome)) == (
        64, 32, 64, 40)
