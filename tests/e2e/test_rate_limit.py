"""One client flooding the chat is refused kindly; other patients are still answered.

A real Rasa server and action server with the shipped limits (8 messages in a burst, then 30 a
minute per conversation; 40, then 240 a minute per client address). Each client sends from its
own loopback address (127.0.0.2, 127.0.0.3 ...), as patients on different networks would.
"""

from __future__ import annotations

import http.client
import json
from typing import List, Tuple
from urllib.parse import urlparse

import pytest

from tests.servers import start_assistant

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def limited_assistant(project_root, tmp_path_factory):
    running = start_assistant(project_root, tmp_path_factory.mktemp("rate-limit"))
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
    flood = [post(url, "127.0.0.2", "flooder", f"what does it cost {n}") for n in range(30)]
    statuses = [status for status, _ in flood]
    assert statuses[:8] == [200] * 8  # a burst like a quick typist's goes through
    assert statuses.count(429) >= 20
    refused = next(data for status, data in flood if status == 429)
    assert refused[0]["text"] == content.message("too_many_messages")
    assert content.clinic.emergency_number in refused[0]["text"]

    status, replies = post(url, "127.0.0.3", "patient", "what are the risks of the injection")
    assert status == 200
    assert content.render(content.answers["faq_risks"].answer) in [r.get("text") for r in replies]


def test_new_conversation_ids_from_one_address_meet_the_address_limit(limited_assistant):
    url = limited_assistant.url
    statuses = [post(url, "127.0.0.4", f"fresh-{n}", "hello")[0] for n in range(60)]
    assert statuses.count(429) >= 10
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
