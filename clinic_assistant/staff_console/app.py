"""The staff console web app (aiohttp): pages, JSON API, background watcher."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import AsyncIterator, Awaitable, Callable

import aiohttp
from aiohttp import web

from clinic_assistant.content import load_content
from clinic_assistant.handoff.audit import AuditLog
from clinic_assistant.handoff.rules import load_handoff_rules
from clinic_assistant.handoff.store import HandoffStore
from clinic_assistant.staff_console import api, auth
from clinic_assistant.staff_console.addresses import PROXIES, parse_networks
from clinic_assistant.staff_console.audit import AUDIT
from clinic_assistant.staff_console.throttle import LoginThrottle
from clinic_assistant.staff_console.rasa_api import RasaClient
from clinic_assistant.staff_console.settings import ConsoleSettings
from clinic_assistant.staff_console.watcher import watch

STATIC = Path(__file__).resolve().parent / "static"
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; "
                           "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
                           "form-action 'self'; base-uri 'none'")


@web.middleware
async def security_headers(request: web.Request,
                           handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                           ) -> web.StreamResponse:
    """A strict CSP, no framing, no caching of patient data, no referrers to other sites."""
    try:
        response = await handler(request)
    except web.HTTPException as error:
        response = error
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    # same-origin, not no-referrer: with no-referrer browsers send `Origin: null` on the login
    # form, which the login's same-origin check must refuse.
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cache-Control"] = "no-store"
    if isinstance(response, web.HTTPException):
        raise response
    return response


def _page(name: str) -> Callable[[web.Request], Awaitable[web.FileResponse]]:
    async def handler(_request: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC / name)
    return handler


async def health(_request: web.Request) -> web.Response:
    """For start-up checks."""
    return web.json_response({"status": "ok"})


def create_app(settings: ConsoleSettings) -> web.Application:
    """The console app; the Rasa client and the watcher start with the app."""
    content = load_content(settings.content_dir)
    rules = load_handoff_rules(settings.content_dir, content.clinic.time_zone)
    store = HandoffStore.from_url(settings.database_url)
    app = web.Application(middlewares=[security_headers, auth.require_staff],
                          client_max_size=64 * 1024)
    app[auth.STORE] = store
    app[auth.THROTTLE] = LoginThrottle(store.session_factory, settings.throttle)
    app[AUDIT] = AuditLog(store.session_factory)
    app[PROXIES] = parse_networks(settings.trusted_proxies)
    app[auth.SECURE_COOKIE] = settings.secure_cookie
    app[auth.SESSION_SECONDS] = settings.session_hours * 3600
    app[auth.IDLE_SECONDS] = settings.idle_minutes * 60
    app[api.CONTENT] = content
    app[api.RULES] = rules

    async def rasa_and_watcher(app: web.Application) -> AsyncIterator[None]:
        async with aiohttp.ClientSession() as session:
            rasa = RasaClient(session, settings.rasa_url, settings.rasa_token)
            app[api.RASA] = rasa
            task = asyncio.create_task(watch(store, rules, rasa, content,
                                             settings.watch_seconds))
            yield
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    app.cleanup_ctx.append(rasa_and_watcher)
    app.router.add_get("/health", health)
    app.router.add_get("/login", _page("login.html"))
    app.router.add_post("/login", auth.login)
    app.router.add_post("/logout", auth.logout)
    app.router.add_get("/", _page("console.html"))
    app.router.add_get("/api/overview", api.overview)
    app.router.add_get("/api/handoffs/{handoff_id}", api.detail)
    app.router.add_post("/api/handoffs/{handoff_id}/claim", api.claim)
    app.router.add_post("/api/handoffs/{handoff_id}/reply", api.reply)
    app.router.add_post("/api/handoffs/{handoff_id}/hand-back", api.hand_back)
    app.router.add_post("/api/handoffs/{handoff_id}/close", api.close)
    app.router.add_post("/api/handoffs/{handoff_id}/called-back", api.callback_done)
    app.router.add_get("/api/handoffs/{handoff_id}/export", api.export)
    app.router.add_post("/api/handoffs/{handoff_id}/erase", api.erase)
    app.router.add_static("/static", STATIC, show_index=False)
    return app
