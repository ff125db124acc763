"""Connecting to the handoff database: a SQLite file by default, PostgreSQL by URL."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import sessionmaker

from clinic_assistant.handoff.records import Base
from clinic_assistant.settings import DEFAULT_HANDOFF_DB_URL

#: Environment variable with the database URL, e.g. postgresql://user:pw@host/clinic.
URL_VARIABLE = "HANDOFF_DB_URL"
DEFAULT_URL = DEFAULT_HANDOFF_DB_URL
#: PostgreSQL advisory lock held while the schema is created ("clinic" in ASCII).
SCHEMA_LOCK_KEY = 0x636C696E6963
SCHEMA_ATTEMPTS = 5


def database_url() -> str:
    """The configured database URL (HANDOFF_DB_URL), or the project's SQLite file."""
    return os.environ.get(URL_VARIABLE) or DEFAULT_URL


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    """Let the action server and the console share one SQLite file safely."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


#: The audit trail refuses changes in the database itself (SQLite; see docs/security.md for
#: PostgreSQL, where the console's role gets INSERT and SELECT only).
APPEND_ONLY_TRIGGERS = tuple(
    f"CREATE TRIGGER IF NOT EXISTS audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
    for verb in ("UPDATE", "DELETE"))


def _add_missing_columns(connection: Connection) -> None:
    """Add nullable columns that newer code defines to tables an older version created."""
    inspector = inspect(connection)
    for table in Base.metadata.sorted_tables:
        present = {column["name"] for column in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in present and column.nullable:
                kind = column.type.compile(dialect=connection.dialect)
                connection.execute(text(
                    f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))


def _create_schema(engine: Engine) -> None:
    """Create missing tables and columns. Processes starting at the same moment (two console
    instances, the action servers) create it one after the other: on PostgreSQL under an
    advisory lock; SQLite has none, so a process that finds a table created meanwhile ("already
    exists") looks again."""
    for attempt in range(1, SCHEMA_ATTEMPTS + 1):
        try:
            with engine.begin() as connection:
                if connection.dialect.name == "postgresql":
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                                       {"key": SCHEMA_LOCK_KEY})
                Base.metadata.create_all(bind=connection)
                _add_missing_columns(connection)
            return
        except OperationalError as error:
            if attempt == SCHEMA_ATTEMPTS or "already exists" not in str(error):
                raise
            time.sleep(0.05 * attempt)


def make_engine(url: str) -> Engine:
    """An engine for `url`; creates the SQLite file's folder and the tables if missing.

    `hide_parameters` keeps patient details out of error messages and logs.
    """
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, future=True, hide_parameters=True,
                               connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, future=True, pool_pre_ping=True, hide_parameters=True)
    _create_schema(engine)
    if engine.dialect.name == "sqlite":
        with engine.begin() as connection:
            for trigger in APPEND_ONLY_TRIGGERS:
                connection.execute(text(trigger))
    return engine


def make_session_factory(url: str) -> sessionmaker:
    """A session factory bound to a new engine for `url`."""
    return sessionmaker(bind=make_engine(url), expire_on_commit=False, future=True)
