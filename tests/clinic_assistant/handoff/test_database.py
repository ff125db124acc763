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


def test_processes_opening_a_new_database_at_the_same_moment_all_start(
        handoff_db_url: str) -> None:
    """Two console instances (and the action servers) start together on an empty database:
    each creates the schema or finds it, none fails (on PostgreSQL two CREATE TABLEs at once
    collided before: duplicate key in pg_type)."""
    import threading

    from clinic_assistant.handoff.database import make_engine
    from clinic_assistant.handoff.records import Base

    for _round in range(3):
        engine = make_engine(handoff_db_url)
        Base.metadata.drop_all(engine)
        engine.dispose()
        barrier = threading.Barrier(4)
        failures: list = []

        def open_store() -> None:
            barrier.wait()
            try:
                HandoffStore.from_url(handoff_db_url).start_live("patient-1", "requested")
            except Exception as error:  # noqa: BLE001 - the test reports any failure
                failures.append(repr(error)[:300])

        threads = [threading.Thread(target=open_store) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert failures == []
        assert len(HandoffStore.from_url(handoff_db_url).queue()) == 4
