"""Signing staff in and out: throttled, optionally with a TOTP code, one HttpOnly cookie.

A session is a random token (stored hashed) that ends after `session_hours`, after
`idle_minutes` without a staff action, at sign-out, or when the account's password changes.
Served over HTTPS the cookie is `__Host-clinic_staff_session` (Secure, Path=/, no Domain).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from pathlib import Path
from typing import Awaitable, Callable, Optional

from aiohttp import web

from clinic_assistant.handoff.audit import UNKNOWN_ACTOR
from clinic_assistant.handoff.records import utc_now
from clinic_assistant.handoff.store import HandoffStore, StaffMember
from clinic_assistant.staff_console.addresses import address_of, scheme_of
from clinic_assistant.staff_console.audit import AUDIT, MEMBER, record
from clinic_assistant.staff_console.throttle import Decision, LoginThrottle

COOKIE = "clinic_staff_session"
#: The cookie's name over HTTPS: browsers then insist on Secure, Path=/ and no Domain.
HOST_COOKIE = "__Host-" + COOKIE
STORE = web.AppKey("store", HandoffStore)
THROTTLE = web.AppKey("throttle", LoginThrottle)
SECURE_COOKIE = web.AppKey("secure_cookie", bool)
SESSION_SECONDS = web.AppKey("session_seconds", float)
IDLE_SECONDS = web.AppKey("idle_seconds", float)
#: The page shown with HTTP 429 (its wording is for staff to edit, like the login page's).
REFUSED_PAGE = Path(__file__).resolve().parent / "static" / "too_many_attempts.html"
#: Requests that work without signing in.
PUBLIC_PATHS = frozenset({"/login", "/static/login.js", "/static/console.css", "/health"})
#: A request header the console's own script sends; other sites cannot send it cross-origin.
CSRF_HEADER = "X-Clinic-Console"
#: Sent by the page's timer-driven refreshes: they keep a session present, not active.
BACKGROUND_HEADER = "X-Clinic-Background"
FAILED_LOGIN_DELAY = 0.5
REFUSED = "refused: too many attempts"
#: Refused sign-ins are audited once per account and address in this time (each is logged):
#: a guesser sending thousands a minute must not fill the disk with audit entries.
REFUSALS_AUDITED_EVERY = dt.timedelta(minutes=1)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
logger = logging.getLogger(__name__)


def cookie_name(app: web.Application) -> str:
    """The session cookie's name for this app (HTTPS or not)."""
    return HOST_COOKIE if app[SECURE_COOKIE] else COOKIE


def current_member(request: web.Request) -> StaffMember:
    """The signed-in staff member (set by the middleware)."""
    return request[MEMBER]


async def _member_for(request: web.Request) -> Optional[StaffMember]:
    token = request.cookies.get(cookie_name(request.app))
    if not token:
        return None
    active = request.headers.get(BACKGROUND_HEADER) != "1"
    return await asyncio.to_thread(request.app[STORE].session_member, token, utc_now(),
                                   request.app[IDLE_SECONDS], active)


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
    return origin is None or origin == f"{scheme_of(request)}://{request.host}"


def _refused(decision: Decision) -> web.Response:
    return web.Response(status=429, text=REFUSED_PAGE.read_text(encoding="utf-8"),
                        content_type="text/html",
                        headers={"Retry-After": str(decision.retry_after_seconds)})


async def login(request: web.Request) -> web.StreamResponse:
    """Throttle, check the username, password and code; start a new session."""
    if not _same_origin(request):
        raise web.HTTPForbidden(text="Sign in from the console's own page.")
    form = await request.post()
    username, password = str(form.get("username", "")).strip(), str(form.get("password", ""))
    code = str(form.get("code", ""))
    address = address_of(request)
    throttle, store = request.app[THROTTLE], request.app[STORE]
    decision = await asyncio.to_thread(throttle.begin, username, address)
    if not decision.allowed:
        known = await asyncio.to_thread(store.account_exists, username)
        actor = username if known else UNKNOWN_ACTOR
        logger.warning("sign-in refused without checking: account=%s address=%s limit=%s "
                       "retry_after=%ss", actor, address, decision.refused_by,
                       decision.retry_after_seconds)
        audited = await asyncio.to_thread(
            request.app[AUDIT].recorded_since, actor, "sign_in", None,
            utc_now() - REFUSALS_AUDITED_EVERY, REFUSED, address)
        if not audited:
            await record(request, "sign_in", REFUSED, actor=actor)
        return _refused(decision)
    result = await asyncio.to_thread(store.sign_in, username, password, code)
    if result.member is None:
        actor = username if result.known_account else UNKNOWN_ACTOR
        logger.info("sign-in failed: account=%s address=%s reason=%s", actor, address,
                    result.failure)
        await record(request, "sign_in", f"failed: {result.failure}", actor=actor)
        await asyncio.sleep(FAILED_LOGIN_DELAY)
        raise web.HTTPSeeOther("/login?error=1")
    await asyncio.to_thread(throttle.succeeded, decision, username, address)
    old = request.cookies.get(cookie_name(request.app))
    if old:
        await asyncio.to_thread(store.end_session, old)  # never keep a token from before
    token = await asyncio.to_thread(store.start_session, result.member.username,
                                    request.app[SESSION_SECONDS])
    logger.info("sign-in succeeded: account=%s address=%s", result.member.username, address)
    await record(request, "sign_in", "ok", actor=result.member.username)
    response = web.HTTPSeeOther("/")
    response.set_cookie(cookie_name(request.app), token, httponly=True, samesite="Strict",
                        path="/", secure=request.app[SECURE_COOKIE],
                        max_age=int(request.app[SESSION_SECONDS]))
    raise response


async def logout(request: web.Request) -> web.StreamResponse:
    """End the session (so this person no longer counts as available)."""
    token = request.cookies.get(cookie_name(request.app))
    if token:
        await asyncio.to_thread(request.app[STORE].end_session, token)
    await record(request, "sign_out", "ok")
    response = web.HTTPSeeOther("/login")
    response.del_cookie(cookie_name(request.app), path="/")
    raise response
