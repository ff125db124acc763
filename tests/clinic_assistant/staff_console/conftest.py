"""The real console app (create_app) on a loopback test server, with its own SQLite database.

The console runs in its own environment, .venv-console (current aiohttp, no Rasa), so its tests
run there too (scripts/test.sh); in the Rasa venv they are not collected, and the run says so.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import AsyncIterator, Awaitable, Callable, List

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer

from clinic_assistant.staff_console.environment import CONSOLE_VENV
from clinic_assistant.staff_console.settings import ConsoleSettings
from tests.ports import free_port

PASSWORD = "correct horse battery staple"
StartConsole = Callable[[ConsoleSettings], Awaitable[TestClient]]
IN_CONSOLE_ENVIRONMENT = Path(sys.prefix).resolve() == CONSOLE_VENV.resolve()
RUN_THEM = ".venv-console/bin/python -m pytest tests/clinic_assistant/staff_console"
if not IN_CONSOLE_ENVIRONMENT:
    # They import the console, which needs .venv-console's aiohttp (3.9.5 has no web.RequestKey).
    collect_ignore_glob = ["test_*.py"]


def pytest_terminal_summary(terminalreporter) -> None:
    """Say where the console's tests are when this run left them out."""
    if not IN_CONSOLE_ENVIRONMENT:
        terminalreporter.write_line(
            f"tests/clinic_assistant/staff_console: not run in this environment (the console "
            f"runs in .venv-console); run them with: {RUN_THEM}", yellow=True)


@pytest.fixture
def console_settings(handoff_db_url: str, project_root: Path) -> ConsoleSettings:
    """Settings for a console whose Rasa server is not running (nothing here needs it)."""
    return ConsoleSettings(rasa_url=f"http://127.0.0.1:{free_port()}", rasa_token="test-token",
                           database_url=handoff_db_url, content_dir=project_root / "content",
                           watch_seconds=60)


@pytest.fixture
async def start_console() -> AsyncIterator[StartConsole]:
    """Start a console app with the given settings; all are stopped after the test."""
    from clinic_assistant.staff_console.app import create_app

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
