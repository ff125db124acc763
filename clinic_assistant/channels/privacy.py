"""Export and erasure of conversations on the running Rasa server (an input channel).

Rasa writes a conversation through its tracker store while it holds the conversation's lock,
and keeps recent conversations in memory (clinic_assistant/serving/tracker_store.py). Deleting
rows from the database file behind a running server's back could be undone: the cached copy
would be served again, and Rasa's `save` writes every event the database lacks. So erasure
runs here, inside the server, under the conversation's lock, through the store's `erase`.

Routes (credentials.yml: `clinic_assistant.channels.privacy.PrivacyInput: {}`):

- POST /webhooks/privacy/export  staff: `Authorization: Bearer <RASA_AUTH_TOKEN>`, body
  {"conversation_id": ...} | {"handoff": 12} | {"reference": "CB-7K3QX"}: the conversation as JSON.
- POST /webhooks/privacy/erase   staff, same bodies, or {"conversation_ids": [...]} (`make purge`).
- POST /webhooks/privacy/erase-own  the chat widget: {"session_id": ...}, the widget's own
  socket session id (a random secret only that browser has). Only conversations whose every
  message came through the widget's channel, at most 5 attempts per client address and 100 in
  all per 10 minutes.
"""

from __future__ import annotations

import contextlib
import hmac
import logging
import os
import re
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from clinic_assistant.handoff.retention import HandoffRetention
from clinic_assistant.handoff.service import get_store
from clinic_assistant.retention import erasure, tracker_events
from clinic_assistant.retention.attempts import AttemptWindow
from clinic_assistant.retention.rebuilds import SharedRebuild

logger = logging.getLogger(__name__)

#: Socket session ids Rasa's socketio channel makes (uuid4().hex).
WIDGET_SESSION = re.compile(r"[0-9a-f]{32}")
WIDGET_CHANNEL = "socketio"
MAX_IDS = 500
TOKEN_VARIABLE = "RASA_AUTH_TOKEN"


def _error(status: int, text: str) -> HTTPResponse:
    return response.json({"error": text}, status=status)


def _body(request: Request) -> Any:
    try:
        return request.json
    except Exception:  # noqa: BLE001 - Sanic raises its own InvalidUsage on bad JSON
        return None


class PrivacyInput(InputChannel):
    """Staff export and erasure, and the widget's "Delete this conversation"."""

    def __init__(self, token: Optional[str] = None) -> None:
        self._token = token if token is not None else os.environ.get(TOKEN_VARIABLE, "")
        self._own_attempts = AttemptWindow(per_key=5, overall=100, seconds=600)
        self._shared_rebuild: Optional[SharedRebuild] = None

    @classmethod
    def name(cls) -> Text:
        """Routes live under /webhooks/privacy/."""
        return "privacy"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        """No options: the staff token is Rasa's API token from the environment."""
        return cls()

    def _staff(self, request: Request) -> bool:
        given = request.headers.get("authorization", "")
        expected = f"Bearer {self._token}"
        return bool(self._token) and hmac.compare_digest(given.encode(), expected.encode())

    @staticmethod
    def _store(request: Request) -> Any:
        store = request.app.ctx.agent.tracker_store
        return getattr(store, "_tracker_store", store)

    async def _erase(self, request: Request, conversation_ids: List[str]) -> Dict[str, Any]:
        """Erase the conversations while holding each one's lock (taken in a fixed order, so two
        erasures cannot wait on each other), one deletion per database; then, with the locks
        released and off the event loop, rebuild the files; returns what was deleted."""
        store = self._store(request)
        handoffs = HandoffRetention(get_store().session_factory)
        ids = sorted(set(conversation_ids))
        async with contextlib.AsyncExitStack() as locks:
            for conversation_id in ids:
                await locks.enter_async_context(
                    request.app.ctx.agent.lock_store.lock(conversation_id))
            report = handoffs.erase(ids, then_rebuild=False)
            if hasattr(store, "erase"):
                report["events"] = store.erase(ids, then_rebuild=False)
            else:
                report["events"] = tracker_events.delete_conversations(
                    store.engine, ids, then_rebuild=False)
        report["conversations"] = len(ids)
        if report["events"] or report["handoffs"]:
            await self._rebuilds(store.engine, handoffs).after_deletion()
        return report

    def _rebuilds(self, engine: Any, handoffs: HandoffRetention) -> SharedRebuild:
        """This server's rebuilds of the conversation store and the handoff database."""
        if self._shared_rebuild is None:
            self._shared_rebuild = SharedRebuild(
                lambda: (handoffs.rebuild(), tracker_events.rebuild(engine)))
        return self._shared_rebuild

    def _conversation(self, body: Any) -> str:
        identifier = erasure.Identifier.from_json(body)
        return erasure.resolve(identifier, HandoffRetention(get_store().session_factory))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """The three routes and a health check."""
        privacy = Blueprint("privacy_webhook", __name__)

        @privacy.route("/", methods=["GET"])
        async def health(_request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @privacy.route("/export", methods=["POST"])
        async def export(request: Request) -> HTTPResponse:
            if not self._staff(request):
                return _error(401, "Staff only: send Authorization: Bearer <API token>.")
            try:
                conversation_id = self._conversation(_body(request))
                data = erasure.export(self._store(request).engine,
                                      HandoffRetention(get_store().session_factory),
                                      conversation_id)
            except ValueError as error:
                return _error(400, str(error))
            except erasure.NotFound as error:
                return _error(404, f"Nothing is stored: {error}.")
            return response.json(data)

        @privacy.route("/erase", methods=["POST"])
        async def erase(request: Request) -> HTTPResponse:
            if not self._staff(request):
                return _error(401, "Staff only: send Authorization: Bearer <API token>.")
            body = _body(request)
            try:
                if isinstance(body, dict) and "conversation_ids" in body:
                    ids = body["conversation_ids"]
                    if (not isinstance(ids, list) or len(ids) > MAX_IDS
                            or not all(isinstance(i, str) and 0 < len(i) <= 255 for i in ids)):
                        raise ValueError(f"conversation_ids: a list of at most {MAX_IDS} ids")
                else:
                    ids = [self._conversation(body)]
            except ValueError as error:
                return _error(400, str(error))
            except erasure.NotFound as error:
                return _error(404, f"Nothing to erase: {error}.")
            report = await self._erase(request, ids)
            logger.info("Erased %s conversation(s) for staff: %s rows", report["conversations"],
                        report["events"])
            return response.json(report)

        @privacy.route("/erase-own", methods=["POST"])
        async def erase_own(request: Request) -> HTTPResponse:
            address = str(request.remote_addr or request.ip or "unknown")
            if not self._own_attempts.allow(address):
                return _error(429, "Too many requests to delete a conversation. "
                                   "Please wait 10 minutes and try again.")
            body = _body(request)
            session_id = body.get("session_id") if isinstance(body, dict) else None
            if not isinstance(session_id, str) or not WIDGET_SESSION.fullmatch(session_id):
                return _error(400, "Send {\"session_id\": ...}: the chat's own session id.")
            engine = self._store(request).engine
            channels = tracker_events.user_channels(engine, session_id)
            if any(channel != WIDGET_CHANNEL for channel in channels):
                return _error(403, "This conversation can only be deleted by the clinic.")
            report = await self._erase(request, [session_id])
            logger.info("A patient erased their conversation from the chat: %s rows",
                        report["events"])
            return response.json(report)

        return privacy
