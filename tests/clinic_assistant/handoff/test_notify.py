"""notify_staff: a JSON webhook that tells staff about a request, without patient data."""

from __future__ import annotations

import asyncio
import json
from typing import Any, AsyncIterator, Dict, List, Tuple

import pytest
from aiohttp import web

from clinic_assistant.handoff import notify
from clinic_assistant.handoff.notify import notify_staff
from clinic_assistant.handoff.store import HandoffStore
from clinic_assistant.stack.processes import free_port

SECRET_SENDER = "socket-session-7f3a9c2e"
Received = List[Tuple[Dict[str, str], bytes]]


@pytest.fixture
async def receiver() -> AsyncIterator[Tuple[str, Received, Dict[str, Any]]]:
    """A webhook receiver on a free loopback port: (url, what it received, its behaviour)."""
    received: Received = []
    behaviour: Dict[str, Any] = {"status": 204, "delay": 0.0}

    async def hook(request: web.Request) -> web.Response:
        received.append((dict(request.headers), await request.read()))
        await asyncio.sleep(behaviour["delay"])
        return web.Response(status=behaviour["status"])

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}/hook", received, behaviour
    await runner.cleanup()


async def test_a_waiting_patient_is_announced_without_patient_data(
    receiver, handoff_store: HandoffStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The body names the event, the id, the reason and the console; not the conversation."""
    url, received, _ = receiver
    monkeypatch.setenv("HANDOFF_WEBHOOK_URL", url)
    monkeypatch.setenv("STAFF_CONSOLE_URL", "https://console.example/staff")
    handoff = handoff_store.start_live(SECRET_SENDER, "red_flag")

    assert await notify_staff(handoff) is True
    assert len(received) == 1
    headers, raw = received[0]
    assert headers["Content-Type"].startswith("application/json")
    body = json.loads(raw)
    assert set(body) == {"event", "handoff_id", "reason", "created_at", "console_url", "text"}
    assert body["event"] == "patient_waiting"
    assert body["handoff_id"] == handoff.id
    assert body["reason"] == "red_flag"
    assert body["created_at"] == handoff.created_at.isoformat() + "Z"
    assert body["console_url"] == "https://console.example/staff"
    assert "waiting" in body["text"]
    assert SECRET_SENDER.encode() not in raw


async def test_a_callback_request_is_announced_without_name_contact_or_reason(
    receiver, handoff_store: HandoffStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing the patient typed into the form leaves the clinic's database."""
    url, received, _ = receiver
    monkeypatch.setenv("HANDOFF_WEBHOOK_URL", url)
    monkeypatch.delenv("STAFF_CONSOLE_URL", raising=False)
    handoff = handoff_store.save_callback(
        SECRET_SENDER, "requested", name="Zebedee Quirrell", contact="zq@example.org",
        preferred_time="Tuesday after 2 pm", reason_text="my sciatica flare")

    assert await notify_staff(handoff) is True
    raw = received[0][1]
    body = json.loads(raw)
    assert body["event"] == "callback_requested"
    assert body["handoff_id"] == handoff.id and body["console_url"] is None
    for private in (SECRET_SENDER, "Zebedee", "Quirrell", "zq@example.org", "Tuesday",
                    "sciatica", handoff.callback.reference):
        assert private.encode() not in raw, private


async def test_without_a_webhook_url_nothing_is_sent(receiver, handoff_store: HandoffStore) -> None:
    """HANDOFF_WEBHOOK_URL unset: False, and the receiver hears nothing."""
    _, received, _ = receiver
    assert await notify_staff(handoff_store.start_live("p", "requested")) is False
    assert received == []


async def test_a_receiver_that_is_down_gives_false(
    handoff_store: HandoffStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refused connection is logged, not raised."""
    monkeypatch.setenv("HANDOFF_WEBHOOK_URL", f"http://127.0.0.1:{free_port()}/hook")
    assert await notify_staff(handoff_store.start_live("p", "requested")) is False


async def test_an_error_status_gives_false(
    receiver, handoff_store: HandoffStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The receiver got the request but refused it."""
    url, received, behaviour = receiver
    behaviour["status"] = 500
    monkeypatch.setenv("HANDOFF_WEBHOOK_URL", url)
    assert await notify_staff(handoff_store.start_live("p", "requested")) is False
    assert len(received) == 1


async def test_a_slow_receiver_times_out_with_false(
    receiver, handoff_store: HandoffStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A receiver slower than the timeout does not hold up (or crash) the action."""
    url, _, behaviour = receiver
    behaviour["delay"] = 2.0
    monkeypatch.setenv("HANDOFF_WEBHOOK_URL", url)
    monkeypatch.setattr(notify, "TIMEOUT_SECONDS", 0.2)
    assert await notify_staff(handoff_store.start_live("p", "requested")) is False


async def test_a_malformed_url_gives_false(
    handoff_store: HandoffStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A typo in the setting is logged, not raised."""
    monkeypatch.setenv("HANDOFF_WEBHOOK_URL", "not a url")
    assert await notify_staff(handoff_store.start_live("p", "requested")) is False
