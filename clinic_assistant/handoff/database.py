"""Connecting to the handoff database: a SQLite file by default, PostgreSQL by URL."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from clinic_assistant.handoff.records import Base
from clinic_assistant.settings import PROJECT_ROOT

#: Environment variable with the database URL, e.g. postgresql://user:pw@host/clinic.
URL_VARIABLE = "HANDOFF_DB_URL"
DEFAULT_URL = f"sqlite:///{PROJECT_ROOT / 'var' / 'handoff.db'}"


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
    Base.metadata.create_all(engine)
    return engine


def make_session_factory(url: str) -> sessionmaker:
    """A session factory bound to a new engine for `url`."""
    return sessionmaker(bind=make_engine(url), expire_on_commit=False, future=True)
