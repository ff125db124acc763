"""Malformed requests to the patient-facing servers get a 4xx and a kind reply, never a 5xx or a
stack trace; the API token is on no command line. Real servers on loopback."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from pathlib import Path
from typing import Any, Dict, List
from urllib.parse import urlsplit

import pytest
import requests
import socketio

pytestmark = pytest.mark.e2e

JSON = {"Content-Type": "application/json"}
MALFORMED = [  # (body, headers, status)
    (b'["what is a herniated disc"]', JSON, 400),
    (b'{"sender": "m1", "message": 123}', JSON, 400),
    (b'{"sender": "m1", "message": null}', JSON, 400),
    (b'{"sender": "m1"}', JSON, 400),
    (b'{"message": "what is a herniated disc"}', JSON, 400),
    (b'{"sender": ["m1"], "message": "hi"}', JSON, 400),
    (b'{"sender": "m1", "message": "hi", "metadata": "x"}', JSON, 400),
    (b"this is not json", JSON, 400),
    (b'{"sender": "m1", "message": "hi"', JSON, 400),
    (b"\xff\xfe\x00", JSON, 400),
    (b'{"sender": "m1", "message": "lone \\ud800 surrogate"}', JSON, 400),
    (b"", JSON, 400),
    (b'{"sender": "m1", "message": "hi"}', {"Content-Type": "text/plain"}, 415),
    (b"sender=m1&message=hi", {"Content-Type": "application/x-www-form-urlencoded"}, 415),
    (json.dumps({"sender": "m1", "message": "a" * 200_000}).encode(), JSON, 413),
]


def new_log_text(process, since: int) -> str:
    return process.log.read_text(errors="replace")[since:]


@pytest.mark.parametrize("body, headers, status", MALFORMED)
def test_every_malformed_rest_body_gets_a_4xx_with_a_kind_reply(assistant, content, body,
                                                                headers, status):
    rasa = assistant.processes[1]
    before = len(rasa.log.read_text(errors="replace"))
    answer = requests.post(f"{assistant.url}/webhooks/rest/webhook", data=body, headers=headers,
                           timeout=30)
    assert answer.status_code == status
    [reply] = answer.json()
    key = "message_too_large" if status == 413 else "bad_request"
    assert reply["text"] == content.message(key)
    assert reply["error"]  # what was wrong, for whoever wrote the client
    log = new_log_text(rasa, before)
    assert "Traceback" not in log and "ERROR" not in log, log


def test_nothing_malformed_reaches_the_conversation_store(assistant):
    before = count_rows(assistant.tracker_db)
    for body, headers, _ in MALFORMED:
        requests.post(f"{assistant.url}/webhooks/rest/webhook", data=body, headers=headers,
                      timeout=30)
    assert count_rows(assistant.tracker_db) == before
    # Rasa used to file a message without a sender under one shared conversation "default".
    default = requests.get(f"{assistant.url}/conversations/default/tracker",
                           params={"token": assistant.token}, timeout=30).json()
    assert not [e for e in default["events"] if e["event"] == "user"]


def count_rows(db: Path) -> int:
    import sqlite3

    with sqlite3.connect(db) as connection:
        return int(connection.execute("SELECT count(*) FROM events").fetchone()[0])


def test_a_well_formed_message_still_gets_its_answer(assistant, content):
    answer = requests.post(f"{assistant.url}/webhooks/rest/webhook",
                           json={"sender": "m-ok", "message": "what is a herniated disc"},
                           timeout=60)
    assert answer.status_code == 200
    texts = [r.get("text") for r in answer.json()]
    assert content.render(content.answers["faq_herniated_disc"].answer) in texts


async def socket_replies(assistant, events: List[Any]) -> List[Dict[str, Any]]:
    """Send each `user_uttered` payload over a real socket.io connection; collect replies."""
    client = socketio.AsyncClient(reconnection=False)
    replies: List[Dict[str, Any]] = []
    client.on("bot_uttered", lambda data: replies.append(data))
    await client.connect(assistant.url, headers={"Origin": assistant.demo_url},
                         transports=["polling"], socketio_path="socket.io")
    # Long-polling: python-engineio's websocket client needs aiohttp >= 3.10 (Rasa pins 3.9).
    try:
        await client.emit("session_request", {"session_id": "sock-malformed"})
        for event in events:
            before = seen = len(replies)
            await client.emit("user_uttered", event)
            # Wait for a first reply, then until no other one came for a second.
            changed, deadline = time.monotonic(), time.monotonic() + 30
            while time.monotonic() < deadline:
                await asyncio.sleep(0.1)
                if len(replies) != seen:
                    seen, changed = len(replies), time.monotonic()
                elif seen > before and time.monotonic() - changed >= 1.0:
                    break
    finally:
        await client.disconnect()
    return replies


def test_every_malformed_socket_message_gets_a_kind_reply(assistant, content):
    malformed = [["hi"], "hi", 42, {"message": "hi"}, {"session_id": "sock-malformed"},
                 {"session_id": "sock-malformed", "message": 123},
                 {"session_id": "sock-malformed", "message": "hi", "metadata": "{x"},
                 {"session_id": "sock-malformed", "message": "lone \ud800 surrogate"},
                 {"session_id": "sock-malformed", "message": "a" * 200_000}]
    rasa = assistant.processes[1]
    before = len(rasa.log.read_text(errors="replace"))
    replies = asyncio.run(socket_replies(assistant, malformed))
    assert [r["text"] for r in replies] == [content.message("bad_request")] * 8 + [
        content.message("message_too_large")]
    assert all(r["error"] for r in replies)
    log = new_log_text(rasa, before)
    assert "Traceback" not in log and "ERROR" not in log, log
    good = asyncio.run(socket_replies(
        assistant, [{"session_id": "sock-malformed", "message": "what is a herniated disc"}]))
    assert content.render(content.answers["faq_herniated_disc"].answer) in [
        r.get("text") for r in good]


def raw_http(url: str, request: bytes) -> bytes:
    """Send raw bytes to a server and return what it answers."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as connection:
        connection.sendall(request)
        answer = b""
        while True:
            chunk = connection.recv(65536)
            if not chunk:
                return answer
            answer += chunk


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_the_demo_page_refuses_other_methods_with_405(assistant, method):
    answer = requests.request(method, f"{assistant.demo_url}/", data=b'["x"]', headers=JSON,
                              timeout=10)
    assert answer.status_code == 405
    assert answer.headers["Allow"] == "GET, HEAD"
    assert "only serves" in answer.text


@pytest.mark.parametrize("request_bytes", [b"NONSENSE\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n",
                                           b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n"])
def test_the_demo_page_answers_garbage_with_4xx(assistant, request_bytes):
    answer = raw_http(assistant.demo_url, request_bytes)
    status = int(answer.split(b" ", 2)[1])
    assert 400 <= status < 500, answer[:200]


def process_command_lines() -> Dict[int, bytes]:
    """Every process's command line, as /proc shows it to any local user."""
    lines: Dict[int, bytes] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                lines[int(entry.name)] = (entry / "cmdline").read_bytes()
            except OSError:
                pass  # the process ended meanwhile
    return lines


def test_the_api_token_is_on_no_command_line_and_the_api_stays_closed(assistant):
    rasa = assistant.processes[1]
    lines = process_command_lines()
    assert lines.get(rasa.popen.pid), "the Rasa server should be running"
    assert b"clinic_assistant.serving.rasa_server" in lines[rasa.popen.pid]
    assert [pid for pid, line in lines.items() if assistant.token.encode() in line] == []
    for process in assistant.processes:
        assert assistant.token not in process.log.read_text(errors="replace"), process.log.name
    url = f"{assistant.url}/conversations/someone/tracker"
    assert requests.get(url, timeout=10).status_code == 401
    assert requests.get(url, params={"token": assistant.token}, timeout=10).status_code == 200


async def session_confirmations(assistant, payloads: List[Any]) -> List[Any]:
    """Send each `session_request` payload on its own connection; collect the confirmed ids."""
    confirmed: List[Any] = []
    for payload in payloads:
        client = socketio.AsyncClient(reconnection=False)
        client.on("session_confirm", lambda data: confirmed.append(data))
        await client.connect(assistant.url, headers={"Origin": assistant.demo_url},
                             transports=["polling"], socketio_path="socket.io")
        try:
            count = len(confirmed)
            await client.emit("session_request", payload)
            for _ in range(100):
                if len(confirmed) > count:
                    break
                await asyncio.sleep(0.1)
        finally:
            await client.disconnect()
    return confirmed


def test_malformed_session_requests_get_a_new_session_not_a_stack_trace(assistant):
    rasa = assistant.processes[1]
    before = len(rasa.log.read_text(errors="replace"))
    confirmed = asyncio.run(session_confirmations(
        assistant, [["x"], "x", 42, {"session_id": {"a": 1}}, {"session_id": "x" * 300},
                    {"session_id": "kept-id"}]))
    assert len(confirmed) == 6
    assert all(isinstance(c, str) and len(c) == 32 for c in confirmed[:5])  # fresh uuid4 hex
    assert confirmed[5] == "kept-id"
    log = new_log_text(rasa, before)
    assert "Traceback" not in log and "ERROR" not in log, log
