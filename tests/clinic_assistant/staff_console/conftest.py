"""The real console app (create_app) on a loopback test server, with its own SQLite database."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import AsyncIterator, Awaitable, Callable, List

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer

from clinic_assistant.staff_console.app import create_app
from clinic_assistant.staff_console.environment import CONSOLE_VENV
from clinic_assistant.staff_console.settings import ConsoleSettings
from tests.ports import free_port

PASSWORD = "correct horse battery staple"
StartConsole = Callable[[ConsoleSettings], Awaitable[TestClient]]


@pytest.fixture(autouse=True)
def in_console_environment() -> None:
    """These tests run where the console runs, in .venv-console (scripts/test.sh does that)."""
    if Path(sys.prefix).resolve() != CONSOLE_VENV.resolve():
        pytest.skip("the staff console runs in its own environment: "
                    ".venv-console/bin/python -m pytest tests/clinic_assistant/staff_console")


@pytest.fixture
def console_settings(handoff_db_url: str, project_root: Path) -> ConsoleSettings:
    """Settings for a console whose Rasa server is not running (nothing here needs it)."""
    return ConsoleSettings(rasa_url=f"http://127.0.0.1:{free_port()}", rasa_token="test-token",
                           database_url=handoff_db_url, content_dir=project_root / "content",
                           watch_seconds=60)


@pytest.fixture
async def start_console() -> AsyncIterator[StartConsole]:
    """Start a console app with the given settings; all are stopped after the test."""
    clients: List[TestClient] = []

    async def start(settings: ConsoleSettings) -> TestClient:
        client = TestClient(TestServer(create_app(settings)))
        await client.start_server()
        clients.append(client)
        return client

    yield start
    for client in clients:
        await client.close()


@pytest.fixture
async def console(start_console: StartConsole, console_settings: ConsoleSettings) -> TestClient:
    """The console with the default settings."""
    return await start_console(console_settings)


async def sign_in(client: TestClient, username: str, password: str, code: str = "",
                  forwarded_for: str = "") -> ClientResponse:
    """POST the login form as the page does (redirects not followed)."""
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return await client.post("/login", data={"username": username, "password": password,
                                              "code": code},
                             headers=headers, allow_redirects=False)


def rows(database_url: str, sql: str, *params: object) -> list:
    """Rows of a query on the console's SQLite file."""
    if not database_url.startswith("sqlite:///"):
        pytest.skip("reads the SQLite file directly")
    with sqlite3.connect(database_url[len("sqlite:///"):]) as connection:
        return connection.execute(sql, params).fetchall()
