"""The console's watcher, in process: a real store on the test's database and a stand-in for
Rasa's HTTP API on a loopback server, which records what the watcher sends."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, AsyncIterator, Dict, List, Tuple

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from clinic_assistant.handoff.records import HandoffStatus
from clinic_assistant.handoff.rules import HandoffRules, load_handoff_rules
from clinic_assistant.handoff.store import HandoffStore
from clinic_assistant.staff_console.rasa_api import PAUSE_EVENTS, RESUME_EVENTS, RasaClient
from clinic_assistant.staff_console.watcher import keep_paused, tell_unclaimed


@dataclasses.dataclass
class StandInRasa:
    """Rasa's tracker API as the watcher uses it: which conversations are paused, what was
    posted to each, and whether it answers at all."""

    paused: Dict[str, bool] = dataclasses.field(default_factory=dict)
    posted: List[Tuple[str, Any]] = dataclasses.field(default_factory=list)
    failing: bool = False

    def app(self) -> web.Application:
        async def tracker(request: web.Request) -> web.Response:
            if self.failing:
                return web.Response(status=500)
            return web.json_response({"paused": self.paused.get(request.match_info["id"], False)})

        async def events(request: web.Request) -> web.Response:
            if self.failing:
                return web.Response(status=500)
            self.posted.append((request.match_info["id"], await request.json()))
            return web.json_response({})

        app = web.Application()
        app.router.add_get("/conversations/{id}/tracker", tracker)
        app.router.add_post("/conversations/{id}/tracker/events", events)
        return app


@pytest.fixture
async def rasa() -> AsyncIterator[Tuple[StandInRasa, RasaClient]]:
    stand_in = StandInRasa()
    server = TestServer(stand_in.app())
    await server.start_server()
    async with aiohttp.ClientSession() as session:
        yield stand_in, RasaClient(session, str(server.make_url("")), "test-token")
    await server.close()


@pytest.fixture
def rules(project_root: Path, content) -> HandoffRules:
    """The real rules, with a claim timeout that has already passed for every waiting chat."""
    real = load_handoff_rules(project_root / "content", content.clinic.time_zone)
    return dataclasses.replace(real, claim_timeout_seconds=0)


async def test_an_unclaimed_chat_is_closed_and_its_patient_told_with_a_call_back_offer(
        handoff_db_url, rasa, rules, content):
    stand_in, client = rasa
    store = HandoffStore.from_url(handoff_db_url)
    waiting = store.start_live("patient-waiting", "requested")
    taken = store.start_live("patient-taken", "requested")
    store.claim(taken.id, "anna")

    assert await tell_unclaimed(store, rules, client, content) == 1

    closed = store.get(waiting.id)
    assert closed is not None and closed.status is HandoffStatus.CLOSED
    assert store.get(taken.id).status is HandoffStatus.ACTIVE
    [(conversation, events)] = stand_in.posted
    assert conversation == "patient-waiting"
    told, *resumed = events
    assert told["event"] == "bot" and told["text"] == content.message("handoff_unclaimed")
    assert told["data"]["custom"]["data"] == {"handoff": "ended"}
    assert told["data"]["buttons"]  # the call-back offer
    assert resumed == RESUME_EVENTS
    assert await tell_unclaimed(store, rules, client, content) == 0  # told once


async def test_rasa_down_does_not_stop_the_round_and_the_chat_is_still_closed(
        handoff_db_url, rasa, rules, content):
    stand_in, client = rasa
    stand_in.failing = True
    store = HandoffStore.from_url(handoff_db_url)
    waiting = store.start_live("patient-waiting", "requested")

    assert await tell_unclaimed(store, rules, client, content) == 1
    assert store.get(waiting.id).status is HandoffStatus.CLOSED
    assert await keep_paused(store, client) == 0


async def test_an_open_handoff_whose_pause_ended_is_paused_again(handoff_db_url, rasa):
    stand_in, client = rasa
    store = HandoffStore.from_url(handoff_db_url)
    unpaused = store.start_live("patient-restarted", "requested")
    store.claim(store.start_live("patient-paused", "requested").id, "anna")
    closed = store.start_live("patient-done", "requested")
    store.close(closed.id, "anna")
    stand_in.paused = {"patient-paused": True, "patient-done": False}

    assert await keep_paused(store, client) == 1
    assert stand_in.posted == [(unpaused.conversation_id, PAUSE_EVENTS)]
