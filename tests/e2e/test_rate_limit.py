"""One client flooding the chat is refused kindly; other patients are still answered.

A real Rasa server and action server with the shipped limits per conversation (8 messages in a
burst, then 30 a minute) and the shipped burst per client address (20), whose refill is slowed to
12 a minute here so that how fast this machine answers cannot decide the outcome. Each client
sends from its own loopback address (127.0.0.2, 127.0.0.3 ...), as patients on different networks
would. A token bucket lets through at most `burst + rate * elapsed` messages; the tests count
against that bound, measured on the clock.
"""

from __future__ import annotations

import http.client
import json
import time
from typing import List, Tuple
from urllib.parse import urlparse

import pytest

from clinic_assistant.stack.assistant import start_assistant

pytestmark = pytest.mark.e2e


CHAT_BURST, CHAT_PER_MINUTE = 8, 30  # the shipped per-conversation limits
ADDRESS_BURST, ADDRESS_PER_MINUTE = 20, 12


def most_allowed(burst: int, per_minute: float, seconds: float) -> int:
    """The most messages a token bucket lets through in `seconds` (one more for rounding)."""
    return int(burst + per_minute / 60 * seconds) + 1


@pytest.fixture(scope="module")
def limited_assistant(project_root, tmp_path_factory):
    running = start_assistant(project_root, tmp_path_factory.mktemp("rate-limit"),
                              extra_env={"ADDRESS_MESSAGES_PER_MINUTE": str(ADDRESS_PER_MINUTE)})
    yield running
    running.stop()


def post(url: str, source: str, sender: str, text: str) -> Tuple[int, List[dict]]:
    """POST one chat message from the loopback address `source`."""
    parts = urlparse(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30,
                                            source_address=(source, 0))
    body = json.dumps({"sender": sender, "message": text})
    connection.request("POST", "/webhooks/rest/webhook", body,
                       {"Content-Type": "application/json"})
    reply = connection.getresponse()
    status, data = reply.status, json.loads(reply.read() or b"[]")
    connection.close()
    return status, data


def test_a_flooding_conversation_is_refused_and_another_patient_is_answered(
        limited_assistant, content):
    url = limited_assistant.url
    started = time.monotonic()
    flood = [post(url, "127.0.0.2", "flooder", f"what does it cost {n}") for n in range(30)]
    seconds = time.monotonic() - started
    statuses = [status for status, _ in flood]
    assert statuses[:CHAT_BURST] == [200] * CHAT_BURST  # a quick typist's burst goes through
    assert statuses.count(200) <= most_allowed(CHAT_BURST, CHAT_PER_MINUTE, seconds)
    assert statuses.count(429) >= 1
    refused = next(data for status, data in flood if status == 429)
    assert refused[0]["text"] == content.message("too_many_messages")
    assert content.clinic.emergency_number in refused[0]["text"]

    status, replies = post(url, "127.0.0.3", "patient", "what are the risks of the injection")
    assert status == 200
    assert content.render(content.answers["faq_risks"].answer) in [r.get("text") for r in replies]


def test_new_conversation_ids_from_one_address_meet_the_address_limit(limited_assistant):
    url = limited_assistant.url
    started = time.monotonic()
    statuses = [post(url, "127.0.0.4", f"fresh-{n}", "hello")[0] for n in range(60)]
    seconds = time.monotonic() - started
    assert statuses[:ADDRESS_BURST] == [200] * ADDRESS_BURST
    assert statuses.count(200) <= most_allowed(ADDRESS_BURST, ADDRESS_PER_MINUTE, seconds)
    assert statuses.count(429) >= 1
    assert post(url, "127.0.0.5", "someone-else", "hello")[0] == 200


def test_a_flooding_socket_gets_the_kind_refusal(limited_assistant, content):
    import asyncio
    import time

    import socketio

    async def flood() -> List[dict]:
        client = socketio.AsyncClient(reconnection=False)
        replies: List[dict] = []
        client.on("bot_uttered", lambda data: replies.append(data))
        # Long-polling: python-engineio's websocket client needs aiohttp >= 3.10.
        await client.connect(limited_assistant.url, transports=["polling"],
                             headers={"Origin": limited_assistant.demo_url})
        try:
            await client.emit("session_request", {"session_id": "sock-flood"})
            for n in range(25):  # 20 a second (a polling request carries at most 16)
                await client.emit("user_uttered", {"session_id": "sock-flood",
                                                   "message": f"hello {n}"})
                await asyncio.sleep(0.05)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and len(replies) < 25:
                await asyncio.sleep(0.2)
        finally:
            await client.disconnect()
        return replies

    texts = [reply.get("text") for reply in asyncio.run(flood())]
    assert texts.count(content.message("too_many_messages")) >= 10
