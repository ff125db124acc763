"""What the staff console needs to know, read from the environment (see .env.example)."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Tuple

from clinic_assistant.handoff.database import database_url
from clinic_assistant.settings import get_settings


@dataclass(frozen=True)
class Limit:
    """At most `failures` failed sign-ins within `minutes`."""

    failures: int
    minutes: float

    @property
    def window(self) -> dt.timedelta:
        """The window as a time span."""
        return dt.timedelta(minutes=self.minutes)


@dataclass(frozen=True)
class ThrottleLimits:
    """The three limits; see docs/security.md."""

    #: One account from one client address.
    account_and_address: Limit = Limit(10, 15)
    #: One account from any number of addresses.
    account: Limit = Limit(100, 60)
    #: One address trying any usernames (password spraying).
    address: Limit = Limit(30, 15)


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
    #: A session ends after this long without a staff action (the page's polling does not count).
    idle_minutes: float = 30.0
    #: How often the background watcher checks waiting chats and pauses (seconds).
    watch_seconds: float = 2.0
    #: Proxies (addresses or networks) whose X-Forwarded-For header is believed; none by default.
    trusted_proxies: Tuple[str, ...] = ()
    throttle: ThrottleLimits = field(default_factory=ThrottleLimits)


def console_settings_from_env() -> ConsoleSettings:
    """Settings from RASA_URL, RASA_AUTH_TOKEN, HANDOFF_DB_URL, STAFF_COOKIE_SECURE,
    STAFF_TRUSTED_PROXIES (space-separated) ..."""
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
        trusted_proxies=tuple(os.environ.get("STAFF_TRUSTED_PROXIES", "").split()),
    )
