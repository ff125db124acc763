"""A staff member using the console's HTTP API with a session cookie, as its page does."""

from __future__ import annotations

import time
from typing import Any, Callable, Dict, List, Optional

import requests

CONSOLE_HEADER = {"X-Clinic-Console": "1"}


class StaffConsole:
    """Signs in and calls the console API with its cookie and console header."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = requests.Session()

    def sign_in(self, username: str, password: str) -> requests.Response:
        """POST the login form (no redirects followed)."""
        return self.http.post(f"{self.url}/login", data={"username": username, "password": password},
                              allow_redirects=False, timeout=30)

    def api(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """Call the JSON API."""
        return self.http.request(method, f"{self.url}/api{path}", headers=CONSOLE_HEADER,
                                 timeout=30, **kwargs)

    def overview(self) -> Dict[str, Any]:
        """Waiting, active and call-back lists (also marks this member present)."""
        reply = self.api("GET", "/overview")
        reply.raise_for_status()
        return reply.json()

    def detail(self, handoff_id: int) -> Dict[str, Any]:
        """One handoff with its transcript."""
        reply = self.api("GET", f"/handoffs/{handoff_id}")
        reply.raise_for_status()
        return reply.json()


def wait_for(check: Callable[[], Optional[Any]], seconds: float = 30.0, what: str = "") -> Any:
    """Poll `check` until it returns something truthy."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.25)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


def bot_texts(tracker: Dict[str, Any]) -> List[str]:
    """Texts of every bot event in a stored conversation."""
    return [e.get("text") or "" for e in tracker["events"] if e["event"] == "bot"]
