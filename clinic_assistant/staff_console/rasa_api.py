"""Rasa's documented HTTP API, as the console uses it (always with the token).

Staff text reaches the patient's widget only as a `bot` event posted to
/conversations/<id>/tracker/events with output_channel=latest and execute_side_effects=true;
the widget reads the labelled `custom` payload. Resuming needs `resume` followed by
`action_listen`, or the assistant would ignore the patient's next message.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional
from urllib.parse import quote

import aiohttp

TIMEOUT = aiohttp.ClientTimeout(total=15)


class RasaApiError(RuntimeError):
    """Rasa answered with an error or could not be reached."""


def staff_event(payload: Dict[str, Any], text: Optional[str] = None,
                buttons: Optional[List[Dict[str, str]]] = None) -> Dict[str, Any]:
    """A `bot` event that carries `payload` to the widget (and `text`/`buttons` to others)."""
    data: Dict[str, Any] = {"custom": {"data": payload}}
    if buttons:
        data["buttons"] = buttons
    return {"event": "bot", "text": text, "data": data}


RESUME_EVENTS = [{"event": "resume"}, {"event": "action", "name": "action_listen"}]
PAUSE_EVENTS = [{"event": "pause"}]


class RasaClient:
    """A thin client for the Rasa server's conversation endpoints."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str, token: str) -> None:
        self._session, self._base, self._token = session, base_url.rstrip("/"), token

    def _url(self, conversation_id: str, suffix: str) -> str:
        return f"{self._base}/conversations/{quote(conversation_id, safe='')}/{suffix}"

    async def tracker(self, conversation_id: str) -> Dict[str, Any]:
        """The whole stored conversation."""
        params = {"token": self._token, "include_events": "ALL"}
        try:
            async with self._session.get(self._url(conversation_id, "tracker"), params=params,
                                         timeout=TIMEOUT) as reply:
                if reply.status != 200:
                    raise RasaApiError(f"Rasa answered HTTP {reply.status} for a tracker")
                return await reply.json()
        except (aiohttp.ClientError, TimeoutError) as error:
            raise RasaApiError(f"Rasa unreachable: {type(error).__name__}") from error

    async def privacy(self, route: str, body: Dict[str, Any]) -> Dict[str, Any]:
        """Export or erase a conversation (clinic_assistant/channels/privacy.py)."""
        headers = {"Authorization": f"Bearer {self._token}"}
        try:
            async with self._session.post(f"{self._base}/webhooks/privacy/{route}", json=body,
                                          headers=headers, timeout=TIMEOUT) as reply:
                if reply.status != 200:
                    raise RasaApiError(f"Rasa answered HTTP {reply.status} to {route}")
                return await reply.json()
        except (aiohttp.ClientError, TimeoutError) as error:
            raise RasaApiError(f"Rasa unreachable: {type(error).__name__}") from error

    async def append(self, conversation_id: str, events: List[Dict[str, Any]]) -> None:
        """Add events and deliver bot messages to the patient's latest channel."""
        params = {"token": self._token, "output_channel": "latest",
                  "execute_side_effects": "true"}
        try:
            async with self._session.post(self._url(conversation_id, "tracker/events"),
                                          params=params, json=events, timeout=TIMEOUT) as reply:
                if reply.status != 200:
                    raise RasaApiError(f"Rasa answered HTTP {reply.status} for new events")
        except (aiohttp.ClientError, TimeoutError) as error:
            raise RasaApiError(f"Rasa unreachable: {type(error).__name__}") from error
