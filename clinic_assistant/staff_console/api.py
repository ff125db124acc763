"""The console's JSON API: the queue, one conversation, and what staff can do with it.

Handoffs are addressed by their database id, never by the conversation id: for the widget
that id is the patient's socket session id, a bearer secret that must not reach URLs or logs.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any, Dict, Optional

from aiohttp import web

from clinic_assistant.content import Content
from clinic_assistant.handoff.records import HandoffStatus, utc_now
from clinic_assistant.handoff.rules import HandoffRules
from clinic_assistant.handoff.store import HandoffStore, HandoffView
from clinic_assistant.staff_console.audit import audited
from clinic_assistant.staff_console.auth import STORE, current_member
from clinic_assistant.staff_console.rasa_api import (
    RESUME_EVENTS,
    RasaApiError,
    RasaClient,
    staff_event,
)
from clinic_assistant.staff_console.transcript import transcript

RASA = web.AppKey("rasa", RasaClient)
CONTENT = web.AppKey("content", Content)
RULES = web.AppKey("rules", HandoffRules)
MAX_REPLY = 2000
#: The page re-reads an open chat every 2 s: opening it is recorded once per member and chat
#: in this time (see clinic_assistant/staff_console/audit.py).
REREAD = dt.timedelta(minutes=10)


def _iso(value: Optional[dt.datetime]) -> Optional[str]:
    return None if value is None else value.isoformat() + "Z"


def handoff_json(handoff: HandoffView) -> Dict[str, Any]:
    """A handoff as the console shows it (no conversation id)."""
    body: Dict[str, Any] = {
        "id": handoff.id, "reason": handoff.reason, "status": handoff.status,
        "created_at": _iso(handoff.created_at), "claimed_at": _iso(handoff.claimed_at),
        "assigned_staff": handoff.assigned_staff,
    }
    if handoff.callback is not None:
        callback = handoff.callback
        body["callback"] = {
            "reference": callback.reference, "name": callback.name, "contact": callback.contact,
            "contact_kind": callback.contact_kind, "preferred_time": callback.preferred_time,
            "reason": callback.reason_text, "consented_at": _iso(callback.consented_at)}
    return body


async def _handoff_or_404(request: web.Request) -> HandoffView:
    try:
        handoff_id = int(request.match_info["handoff_id"])
    except ValueError as error:
        raise web.HTTPNotFound() from error
    handoff = await asyncio.to_thread(request.app[STORE].get, handoff_id)
    if handoff is None:
        raise web.HTTPNotFound()
    return handoff


async def _send(request: web.Request, handoff: HandoffView, events: list) -> None:
    try:
        await request.app[RASA].append(handoff.conversation_id, events)
    except RasaApiError as error:
        raise web.HTTPBadGateway(text=f"The assistant server did not respond ({error}).")


async def overview(request: web.Request) -> web.Response:
    """Waiting and active chats, open call-back requests, and who is signed in."""
    member = current_member(request)
    queue = await asyncio.to_thread(request.app[STORE].queue)
    return web.json_response({
        "me": {"username": member.username, "name": member.display_name},
        "within_staff_hours": request.app[RULES].within_staff_hours(utc_now()),
        "now": _iso(utc_now()),
        "waiting": [handoff_json(h) for h in queue if h.status == HandoffStatus.WAITING],
        "active": [handoff_json(h) for h in queue if h.status == HandoffStatus.ACTIVE],
        "callbacks": [handoff_json(h) for h in queue if h.status == HandoffStatus.CALLBACK],
    })


@audited("open_transcript", once_per=REREAD)
async def detail(request: web.Request) -> web.Response:
    """One handoff with the conversation's transcript."""
    handoff = await _handoff_or_404(request)
    try:
        tracker = await request.app[RASA].tracker(handoff.conversation_id)
        lines, problem = transcript(tracker), None
    except RasaApiError as error:
        lines, problem = [], f"The transcript could not be loaded: {error}."
    return web.json_response({**handoff_json(handoff), "transcript": lines, "problem": problem})


@audited("claim")
async def claim(request: web.Request) -> web.Response:
    """Take a waiting chat; the patient is told who joined."""
    handoff = await _handoff_or_404(request)
    member = current_member(request)
    claimed = await asyncio.to_thread(request.app[STORE].claim, handoff.id, member.username)
    if claimed is None:
        return web.json_response({"error": "Someone else has taken this chat, or it ended."},
                                 status=409)
    text = request.app[CONTENT].message("staff_joined", name=member.display_name)
    await _send(request, claimed, [staff_event(
        {"handoff": "active", "name": member.display_name, "text": text}, text=None)])
    return web.json_response(handoff_json(claimed))


@audited("reply")
async def reply(request: web.Request) -> web.Response:
    """Send the staff member's message into the patient's chat."""
    handoff = await _handoff_or_404(request)
    member = current_member(request)
    if handoff.status != HandoffStatus.ACTIVE or handoff.assigned_staff != member.username:
        return web.json_response({"error": "Take the chat before replying."}, status=409)
    try:
        body = await request.json()
    except ValueError:
        body = {}
    text = str(body.get("text", "") if isinstance(body, dict) else "").strip()
    if not text or len(text) > MAX_REPLY:
        return web.json_response({"error": f"Write 1-{MAX_REPLY} characters."}, status=400)
    await _send(request, handoff, [staff_event(
        {"sender": "staff", "name": member.display_name, "text": text})])
    return web.json_response({"ok": True})


async def _end(request: web.Request, message_key: str, closer: str) -> web.Response:
    handoff = await _handoff_or_404(request)
    member = current_member(request)
    store: HandoffStore = request.app[STORE]
    ended = await asyncio.to_thread(getattr(store, closer), handoff.id, member.username)
    if ended is None:
        return web.json_response({"error": "This chat has already ended."}, status=409)
    text = request.app[CONTENT].message(message_key, name=member.display_name)
    await _send(request, ended, [staff_event({"handoff": "ended", "text": text}), *RESUME_EVENTS])
    return web.json_response(handoff_json(ended))


@audited("hand_back")
async def hand_back(request: web.Request) -> web.Response:
    """Give the chat back to the assistant, which answers the patient's next message."""
    return await _end(request, "staff_handed_back", "hand_back")


@audited("close")
async def close(request: web.Request) -> web.Response:
    """End the chat; the assistant answers again if the patient writes."""
    return await _end(request, "staff_closed", "close")


@audited("export")
async def export(request: web.Request) -> web.Response:
    """The whole conversation and its handoff records as a JSON file (a patient's copy)."""
    handoff = await _handoff_or_404(request)
    try:
        data = await request.app[RASA].privacy("export", {"handoff": handoff.id})
    except RasaApiError as error:
        raise web.HTTPBadGateway(text=f"The assistant server did not respond ({error}).")
    return web.json_response(data, headers={
        "Content-Disposition": f'attachment; filename="conversation-handoff-{handoff.id}.json"'})


@audited("erase")
async def erase(request: web.Request) -> web.Response:
    """Delete the conversation, its handoffs and call-backs everywhere (body {"confirm": true})."""
    handoff = await _handoff_or_404(request)
    try:
        body = await request.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict) or body.get("confirm") is not True:
        return web.json_response({"error": "Confirm the erasure first."}, status=400)
    try:
        report = await request.app[RASA].privacy("erase", {"handoff": handoff.id})
    except RasaApiError as error:
        raise web.HTTPBadGateway(text=f"The assistant server did not respond ({error}).")
    return web.json_response(report)


@audited("called_back")
async def callback_done(request: web.Request) -> web.Response:
    """Staff have called or emailed the patient back."""
    handoff = await _handoff_or_404(request)
    done = await asyncio.to_thread(request.app[STORE].mark_called_back, handoff.id,
                                   current_member(request).username)
    if done is None:
        return web.json_response({"error": "Already marked as done."}, status=409)
    return web.json_response(handoff_json(done))
