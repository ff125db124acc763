"""Signing staff in and out: hashed passwords, an HttpOnly SameSite=Strict session cookie."""

from __future__ import annotations

import asyncio
from typing import Awaitable, Callable, Optional

from aiohttp import web

from clinic_assistant.handoff.records import utc_now
from clinic_assistant.handoff.store import HandoffStore, StaffMember

COOKIE = "clinic_staff_session"
STORE = web.AppKey("store", HandoffStore)
SECURE_COOKIE = web.AppKey("secure_cookie", bool)
SESSION_SECONDS = web.AppKey("session_seconds", float)
MEMBER = "staff_member"
#: Requests that work without signing in.
PUBLIC_PATHS = frozenset({"/login", "/static/login.js", "/static/console.css", "/health"})
#: A request header the console's own script sends; other sites cannot send it cross-origin.
CSRF_HEADER = "X-Clinic-Console"
FAILED_LOGIN_DELAY = 0.5

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def current_member(request: web.Request) -> StaffMember:
    """The signed-in staff member (set by the middleware)."""
    return request[MEMBER]


async def _member_for(request: web.Request) -> Optional[StaffMember]:
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    return await asyncio.to_thread(request.app[STORE].session_member, token, utc_now())


@web.middleware
async def require_staff(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Everything but the login page needs a live session; API writes need the CSRF header."""
    if request.path in PUBLIC_PATHS:
        return await handler(request)
    member = await _member_for(request)
    if member is None:
        if request.path.startswith("/api/"):
            return web.json_response({"error": "Please sign in again."}, status=401)
        raise web.HTTPSeeOther("/login")
    if (request.method != "GET" and request.path.startswith("/api/")
            and request.headers.get(CSRF_HEADER) != "1"):
        return web.json_response({"error": "Missing console header."}, status=403)
    request[MEMBER] = member
    return await handler(request)


def _same_origin(request: web.Request) -> bool:
    origin = request.headers.get("Origin")
    return origin is None or origin == f"{request.scheme}://{request.host}"


async def login(request: web.Request) -> web.StreamResponse:
    """Check the username and password; set the session cookie."""
    if not _same_origin(request):
        raise web.HTTPForbidden(text="Sign in from the console's own page.")
    form = await request.post()
    username, password = str(form.get("username", "")).strip(), str(form.get("password", ""))
    store = request.app[STORE]
    member = await asyncio.to_thread(store.authenticate, username, password)
    if member is None:
        await asyncio.sleep(FAILED_LOGIN_DELAY)
        raise web.HTTPSeeOther("/login?error=1")
    token = await asyncio.to_thread(store.start_session, member.username,
                                    request.app[SESSION_SECONDS])
    response = web.HTTPSeeOther("/")
    response.set_cookie(COOKIE, token, httponly=True, samesite="Strict", path="/",
                        secure=request.app[SECURE_COOKIE],
                        max_age=int(request.app[SESSION_SECONDS]))
    raise response


async def logout(request: web.Request) -> web.StreamResponse:
    """End the session (so this person no longer counts as available)."""
    token = request.cookies.get(COOKIE)
    if token:
        await asyncio.to_thread(request.app[STORE].end_session, token)
    response = web.HTTPSeeOther("/login")
    response.del_cookie(COOKIE, path="/")
    raise response
