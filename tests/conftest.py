"""Fixtures shared by the whole suite: the real content, a dispatcher, inline trackers."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from clinic_assistant.content import Content, load_content

PROJECT_ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

TrackerFactory = Callable[..., Tracker]


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
    """A writable copy of the files staff edit, and the held-out set (no models, no code)."""
    root = tmp_path / "project"
    root.mkdir()
    for folder in ("data", "content"):
        shutil.copytree(PROJECT_ROOT / folder, root / folder)
    for name in ("domain.yml", "config.yml", "tests/nlu/heldout.yml"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PROJECT_ROOT / name, root / name)
    return root


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    """A dispatcher that collects what an action says."""
    return CollectingDispatcher()


def user_event(text: str, intent: Optional[str]) -> Dict[str, Any]:
    """A `user` event as the action server receives it."""
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}


@pytest.fixture
def make_tracker() -> TrackerFactory:
    """Build a tracker whose latest message has the given text, intent and entities."""

    def build(
        text: str = "",
        intent: Optional[str] = None,
        ranking: Optional[List[Dict[str, Any]]] = None,
        entities: Optional[List[Dict[str, Any]]] = None,
        earlier: Optional[List[Dict[str, Any]]] = None,
        slots: Optional[Dict[str, Any]] = None,
        active_loop: Optional[Dict[str, Any]] = None,
    ) -> Tracker:
        latest = {
            "text": text,
            "intent": {"name": intent, "confidence": 0.9},
            "intent_ranking": ranking or [],
            "entities": entities or [],
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


@pytest.fixture(scope="session")
def assistant(tmp_path_factory):
    """The real assistant: action server and Rasa server on loopback, SQLite tracker store."""
    from tests.servers import start_assistant

    running = start_assistant(PROJECT_ROOT, tmp_path_factory.mktemp("assistant"))
    yield running
    running.stop()
