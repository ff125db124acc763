"""Recording console actions in the audit trail: one decorator line per audited handler.

    @audited("export")
    async def export(request): ...

The entry names the signed-in staff member, the action, the handoff number from the URL, the
client address and the outcome (from the response's status); never any patient text.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
from typing import Awaitable, Callable, Optional

from aiohttp import web

from clinic_assistant.handoff.audit import AuditLog
from clinic_assistant.handoff.records import utc_now
from clinic_assistant.handoff.store import StaffMember
from clinic_assistant.staff_console.addresses import address_of

AUDIT = web.AppKey("audit", AuditLog)
MEMBER = web.RequestKey("staff_member", StaffMember)
#: Outcomes by HTTP status; 2xx and 3xx are "ok".
OUTCOMES = {400: "bad request", 401: "signed out", 403: "forbidden", 404: "not found",
            409: "conflict", 429: "refused: too many attempts", 502: "assistant unreachable"}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def outcome_of(status: int) -> str:
    """A short outcome for an HTTP status."""
    return "ok" if status < 400 else OUTCOMES.get(status, f"error {status}")


def _handoff_id(request: web.Request) -> Optional[int]:
    value = request.match_info.get("handoff_id", "")
    return int(value) if value.isdigit() and len(value) < 10 else None


async def record(request: web.Request, action: str, outcome: str, actor: Optional[str] = None,
                 handoff_id: Optional[int] = None) -> None:
    """Append one entry for this request (the actor defaults to the signed-in member)."""
    if actor is None:
        actor = request[MEMBER].username
    await asyncio.to_thread(request.app[AUDIT].record, actor, action, address_of(request),
                            outcome, handoff_id)


def audited(action: str, once_per: Optional[dt.timedelta] = None) -> Callable[[Handler], Handler]:
    """Record each call of the handler with its outcome.

    With `once_per`, a successful call is recorded only if the same member has no successful
    entry for the same action and record within that time (the page re-reads an open chat
    every 2 seconds; each re-read is not a new action).
    """
    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def run(request: web.Request) -> web.StreamResponse:
            handoff_id = _handoff_id(request)
            try:
                response = await handler(request)
            except web.HTTPException as error:
                await record(request, action, outcome_of(error.status), handoff_id=handoff_id)
                raise
            except Exception:
                await record(request, action, "error", handoff_id=handoff_id)
                raise
            outcome = outcome_of(response.status)
            if outcome == "ok" and once_per is not None:
                seen = await asyncio.to_thread(
                    request.app[AUDIT].recorded_since, request[MEMBER].username, action,
                    handoff_id, utc_now() - once_per)
                if seen:
                    return response
            await record(request, action, outcome, handoff_id=handoff_id)
            return response
        return run
    return decorate
