"""Opening a handoff database that an older version created: new columns are added."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from clinic_assistant.handoff.store import HandoffStore

OLD_TABLES = """
CREATE TABLE staff_accounts (username VARCHAR(64) PRIMARY KEY, display_name VARCHAR(80) NOT NULL,
    password_hash VARCHAR(255) NOT NULL, created_at DATETIME NOT NULL);
CREATE TABLE staff_sessions (token_hash VARCHAR(64) PRIMARY KEY,
    username VARCHAR(64) NOT NULL REFERENCES staff_accounts(username) ON DELETE CASCADE,
    created_at DATETIME NOT NULL, last_seen DATETIME NOT NULL, expires_at DATETIME NOT NULL);
"""


def test_an_older_database_gets_the_idle_timeout_column_and_keeps_working(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as connection:
        connection.executescript(OLD_TABLES)
    store = HandoffStore.from_url(f"sqlite:///{path}")
    with sqlite3.connect(path) as connection:
        columns = [row[1] for row in connection.execute("PRAGMA table_info(staff_sessions)")]
        tables = {row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "last_active" in columns
    assert {"audit_log", "login_failures", "staff_second_factors"} <= tables
    store.add_staff("anna", "Anna", "correct horse battery")
    token = store.start_session("anna", 3600)
    now = dt.datetime.utcnow()
    assert store.session_member(token, now, idle_seconds=1800).username == "anna"
    HandoffStore.from_url(f"sqlite:///{path}")  # opening it again changes nothing
