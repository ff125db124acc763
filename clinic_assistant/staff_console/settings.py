"""What the staff console needs to know, read from the environment (see .env.example)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from clinic_assistant.handoff.database import database_url
from clinic_assistant.settings import get_settings


@dataclass(frozen=True)
class ConsoleSettings:
    """Where Rasa is, how to reach it, and how console sessions behave."""

    rasa_url: str
    rasa_token: str
    database_url: str
    content_dir: Path
    #: Send the session cookie only over HTTPS (set when the console is behind TLS).
    secure_cookie: bool = False
    session_hours: float = 12.0
    #: How often the background watcher checks waiting chats and pauses (seconds).
    watch_seconds: float = 2.0


def console_settings_from_env() -> ConsoleSettings:
    """Settings from RASA_URL, RASA_AUTH_TOKEN, HANDOFF_DB_URL, STAFF_COOKIE_SECURE ..."""
    token = os.environ.get("RASA_AUTH_TOKEN", "")
    if not token:
        raise SystemExit("staff console: RASA_AUTH_TOKEN is not set; the console talks to Rasa's "
                         "HTTP API only with a token (make run writes one into .env).")
    rasa_url = os.environ.get("RASA_URL") or (
        f"http://{os.environ.get('RASA_HOST', '127.0.0.1')}:{os.environ.get('RASA_PORT', '5005')}")
    return ConsoleSettings(
        rasa_url=rasa_url.rstrip("/"),
        rasa_token=token,
        database_url=database_url(),
        content_dir=get_settings().content_dir,
        secure_cookie=os.environ.get("STAFF_COOKIE_SECURE", "false").lower() == "true",
        watch_seconds=float(os.environ.get("STAFF_WATCH_SECONDS", "2")),
    )
