"""Asking the running Rasa server to export or erase (clinic_assistant/channels/privacy.py).

While the server runs, only it may erase (it holds the conversation's lock and forgets its
in-memory copy). `None` from `call` means no server is listening: the files may then be
changed directly.
"""

from __future__ import annotations

import os
from typing import Any, Dict, Optional

import requests

TIMEOUT_SECONDS = 120


class ServerError(RuntimeError):
    """The Rasa server is running but refused or failed the request."""


def call(rasa_url: str, route: str, body: Dict[str, Any],
         token: Optional[str] = None) -> Optional[Dict[str, Any]]:
    """POST to /webhooks/privacy/<route> with the API token; None if no server is listening."""
    token = token if token is not None else os.environ.get("RASA_AUTH_TOKEN", "")
    try:
        reply = requests.post(f"{rasa_url}/webhooks/privacy/{route}", json=body,
                              headers={"Authorization": f"Bearer {token}"},
                              timeout=TIMEOUT_SECONDS)
    except requests.ConnectionError:
        return None
    if reply.status_code == 404 and "error" not in reply.text:
        raise ServerError("the Rasa server has no /webhooks/privacy/ routes: add "
                          "clinic_assistant.channels.privacy.PrivacyInput to credentials.yml")
    try:
        data = reply.json()
    except ValueError:
        data = {}
    if reply.status_code != 200:
        raise ServerError(f"HTTP {reply.status_code}: {data.get('error', reply.reason)}")
    return data
