"""The cluster on real PostgreSQL, Redis and nginx: two Rasa servers and two action servers.

Started by the same launcher as `make run-cluster` (clinic_assistant/stack/cluster.py), in a
temporary folder. Faults are real: `kill -9` of a Rasa server or an action server.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from typing import Dict, List

import pytest
import requests
import sqlalchemy as sa

from clinic_assistant.stack.assistant import UNLIMITED_CHAT
from clinic_assistant.stack.cluster import start_cluster
from tests.conftest import PROJECT_ROOT
from tests.e2e.staff import StaffConsole, wait_for

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def cluster(e2e_content_dir):
    import tempfile
    from pathlib import Path

    # Every test patient connects from 127.0.0.1: the chat limits (nginx's and the servers')
    # have their own tests (tests/e2e/test_rate_limit.py). Staff hours around the clock.
    running = start_cluster(Path(tempfile.mkdtemp(prefix="cluster-test-")), replicas=2,
                            consoles=2, durable=False,
                            base_env={**os.environ, **UNLIMITED_CHAT,
                                      "CLINIC_CONTENT_DIR": str(e2e_content_dir)})
    yield running
    running.stop()


def say(url: str, sender: str, text: str) -> List[Dict]:
    reply = requests.post(f"{url}/webhooks/rest/webhook",
                          json={"sender": sender, "message": text}, timeout=60)
    assert reply.status_code == 200, reply.text
    return reply.json()


def stored_events(cluster, sender: str) -> List[Dict]:
    engine = sa.create_engine(cluster.postgres.url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text(
                "SELECT data FROM events WHERE sender_id = :sender ORDER BY id"),
                {"sender": sender}).scalars().all()
    finally:
        engine.dispose()
    return [json.loads(row) for row in rows]


def test_patients_are_answered_through_nginx_and_stored_in_postgresql(cluster, content):
    sender = f"p-{uuid.uuid4().hex[:8]}"
    replies = say(cluster.public_url, sender, "what are the risks of the injection")
    assert content.render(content.answers["faq_risks"].answer) in [r.get("text") for r in replies]
    texts = [e.get("text") for e in stored_events(cluster, sender) if e["event"] == "user"]
    assert texts == ["what are the risks of the injection"]
    # Rasa's HTTP API is not on the public port, only on the internal one.
    public = requests.get(f"{cluster.public_url}/status", params={"token": cluster.token})
    internal = requests.get(f"{cluster.internal_url}/status", params={"token": cluster.token})
    assert public.status_code != 200 and internal.status_code == 200


def test_nginx_passes_on_only_plain_requests(cluster):
    url = f"{cluster.public_url}/webhooks/rest/webhook"
    chunked = requests.post(url, data=iter([b'{"sender": "x", "message": "hi"}']),
                            headers={"Content-Type": "application/json"})
    assert chunked.status_code == 411
    compressed = requests.post(url, data=b"x", headers={"Content-Encoding": "gzip",
                                                        "Content-Type": "application/json"})
    assert compressed.status_code == 415
    polling = requests.get(f"{cluster.public_url}/socket.io/",
                           params={"EIO": "4", "transport": "polling"})
    assert polling.status_code == 403  # websockets only: no sticky sessions needed
    assert requests.post(f"{cluster.public_url}/", data=b"x").status_code == 403


def test_the_widget_chats_through_nginx_in_a_browser(cluster, content):
    from playwright.sync_api import expect

    from tests.web.conftest import chromium
    from tests.web.test_widget_browser import BOT, LAUNCHER, REPLY_TIMEOUT_MS

    with chromium() as browser:
        page = browser.new_page(viewport={"width": 375, "height": 740})
        page.goto(f"{cluster.public_url}/")
        page.get_by_role("button", name=LAUNCHER).click()
        page.locator("#clinic-chat-input").fill("what are the risks of the injection")
        page.locator("#clinic-chat-input").press("Enter")
        answer = content.render(content.answers["faq_risks"].answer)
        expect(page.locator(BOT).filter(has_text=answer[:60]).last).to_be_visible(
            timeout=REPLY_TIMEOUT_MS)
        page.close()


PASSWORD = "correct horse battery"


def signed_in_staff(cluster) -> requests.Session:
    """Anna's account in PostgreSQL (the real command), signed in through nginx's staff server
    the way a browser posts the form (with its Origin header); the cookie works on every
    console instance."""
    subprocess.run([sys.executable, "-m", "clinic_assistant.handoff", "--db",
                    cluster.postgres.url, "add-staff", "anna", "--name", "Anna (nurse)",
                    "--password-stdin"], input=PASSWORD + "\n", text=True, check=True,
                   capture_output=True, cwd=PROJECT_ROOT)
    http = requests.Session()
    signed = http.post(f"{cluster.staff_url}/login", allow_redirects=False, timeout=30,
                       data={"username": "anna", "password": PASSWORD},
                       headers={"Origin": cluster.staff_url})
    assert signed.status_code == 303 and signed.headers["Location"] == "/", signed.text
    return http


def console_instance(cluster, http: requests.Session, instance: int) -> StaffConsole:
    """One console instance directly (not through nginx), with the signed-in cookie."""
    console = StaffConsole(cluster.console_url(instance))
    console.http = http
    return console


def test_a_handoff_is_seen_and_answered_through_the_second_console_instance(cluster, content):
    """The patient's widget (its socket on one of the Rasa servers) asks for a person while
    Anna has console instance 1 open; she takes and answers the chat through instance 2; the
    reply reaches the widget, and the record in PostgreSQL says so."""
    from playwright.sync_api import expect

    from tests.web.conftest import chromium
    from tests.web.test_widget_browser import ask, expect_bot_text, open_chat, session_id

    http = signed_in_staff(cluster)
    first, second = (console_instance(cluster, http, n) for n in (0, 1))
    with chromium() as browser:
        page = browser.new_page()
        open_chat(page, f"{cluster.public_url}/")
        expect_bot_text(page, content.message("disclaimer"))
        first.overview()  # Anna has the console open: staff count as available
        ask(page, "I'd like to talk to a person")
        expect_bot_text(page, content.message("handoff_waiting"))
        conversation = session_id(page)

        handoff_id = wait_for(lambda: [h["id"] for h in second.overview()["waiting"]],
                              what="the waiting chat on console instance 2")[-1]
        lines = second.detail(handoff_id)["transcript"]
        assert any(line.get("text") == "I'd like to talk to a person" for line in lines)
        assert second.api("POST", f"/handoffs/{handoff_id}/claim").status_code == 200
        assert first.api("POST", f"/handoffs/{handoff_id}/claim").status_code == 409
        assert second.api("POST", f"/handoffs/{handoff_id}/reply",
                          json={"text": "Hello, Anna here, through instance 2."}).status_code == 200
        staff = page.locator(".clinic-chat__message--staff").filter(has_text="through instance 2")
        expect(staff).to_be_visible(timeout=15_000)
        expect(staff).to_contain_text("Anna (nurse)")
        assert [h["id"] for h in first.overview()["active"]] == [handoff_id]
        assert second.api("POST", f"/handoffs/{handoff_id}/close").status_code == 200
        page.close()
    engine = sa.create_engine(cluster.postgres.url)
    try:
        with engine.connect() as connection:
            row = connection.execute(sa.text(
                "SELECT conversation_id, status, outcome, assigned_staff FROM handoffs "
                "WHERE id = :id"), {"id": handoff_id}).one()
    finally:
        engine.dispose()
    assert tuple(row) == (conversation, "closed", "closed_by_staff", "anna")
    staff_events = [e for e in stored_events(cluster, conversation) if e["event"] == "bot"
                    and "through instance 2" in json.dumps(e.get("data"))]
    assert len(staff_events) == 1  # stored once, whichever Rasa server the console reached


def test_a_chat_nobody_takes_is_ended_once_though_both_console_instances_watch(cluster,
                                                                               content):
    """Both instances run the watcher on one PostgreSQL database: after the claim timeout
    (15 s in the end-to-end rules) the patient is told once that nobody came, not twice."""
    import time

    http = signed_in_staff(cluster)
    console_instance(cluster, http, 0).overview()  # someone is signed in: staff available
    sender = f"p-{uuid.uuid4().hex[:8]}"
    replica_a = cluster.replicas[0].url
    assert content.message("handoff_waiting") in [
        r.get("text") for r in say(replica_a, sender, "I'd like to talk to a person")]
    unclaimed = content.message("handoff_unclaimed")

    def told() -> int:
        return sum(1 for e in stored_events(cluster, sender)
                   if e["event"] == "bot" and e.get("text") == unclaimed)

    wait_for(told, seconds=45, what="the patient told that nobody came")
    time.sleep(3)  # more than one round of both watchers (every 2 s)
    assert told() == 1
    engine = sa.create_engine(cluster.postgres.url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text(
                "SELECT status, outcome FROM handoffs WHERE conversation_id = :sender"),
                {"sender": sender}).all()
    finally:
        engine.dispose()
    assert [tuple(row) for row in rows] == [("closed", "unclaimed")]


def test_two_messages_of_one_conversation_at_once_on_two_replicas(cluster):
    sender = f"p-{uuid.uuid4().hex[:8]}"
    say(cluster.public_url, sender, "hello")
    questions = ["how much does it cost", "is it approved by the FDA"]
    results: Dict[str, List[Dict]] = {}
    barrier = threading.Barrier(2)

    def send(replica_url: str, text: str) -> None:
        barrier.wait()
        results[text] = say(replica_url, sender, text)

    threads = [threading.Thread(target=send, args=(replica.url, text))
               for replica, text in zip(cluster.replicas, questions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(results.get(text) for text in questions)  # each answered
    events = stored_events(cluster, sender)
    users = [e.get("text") for e in events if e["event"] == "user"]
    assert sorted(users[1:]) == sorted(questions) and len(users) == 3  # both stored, once
    # In order: each question's turn ends (action_listen) before the next question is stored.
    turns = [i for i, e in enumerate(events) if e["event"] == "user"]
    for start, end in zip(turns, turns[1:]):
        assert any(e["event"] == "action" and e.get("name") == "action_listen"
                   for e in events[start + 1:end])
    answers_by_turn = [sum(1 for e in events[start:end] if e["event"] == "bot")
                       for start, end in zip(turns, turns[1:] + [len(events)])]
    assert all(count >= 1 for count in answers_by_turn)


def test_an_action_server_killed_the_other_one_answers(cluster, content):
    sender = f"p-{uuid.uuid4().hex[:8]}"
    victim = cluster.replicas[0]
    victim.actions.popen.kill()
    victim.actions.popen.wait()
    try:
        for attempt in range(3):  # nginx's round robin tries the dead one too
            started = time.monotonic()
            replies = say(cluster.public_url, sender, "how much does it cost")
            assert content.render(content.answers["faq_cost"].answer) in [
                r.get("text") for r in replies]
            print(f"\naction server killed: answer {attempt + 1} in "
                  f"{time.monotonic() - started:.2f} s")
    finally:
        cluster.start_actions(victim)


def test_a_rasa_server_killed_mid_conversation_the_other_answers_with_the_history(cluster):
    sender = f"p-{uuid.uuid4().hex[:8]}"
    say(cluster.public_url, sender, "what is a herniated disc")
    victim = cluster.replicas[0]
    victim.rasa.popen.kill()  # kill -9
    victim.rasa.popen.wait()
    try:
        for text in ("is it approved by the FDA", "how long is the recovery"):
            started = time.monotonic()
            assert say(cluster.public_url, sender, text)
            print(f"\nRasa server killed: {text!r} answered in "
                  f"{time.monotonic() - started:.2f} s")
        tracker = requests.get(f"{cluster.internal_url}/conversations/{sender}/tracker",
                               params={"token": cluster.token}, timeout=30).json()
        users = [e.get("text") for e in tracker["events"] if e["event"] == "user"]
        assert users == ["what is a herniated disc", "is it approved by the FDA",
                         "how long is the recovery"]
    finally:
        cluster.start_rasa(victim)


class SteadyPatient:
    """One message a fifth of a second through nginx, each from a new conversation id, while a
    service restarts: when each was answered, and which conversations got an answer."""

    def __init__(self, cluster, content) -> None:
        self.url = f"{cluster.public_url}/webhooks/rest/webhook"
        self.problem = content.message("technical_problem")
        self.answered: List[tuple] = []  # (time, sender)
        self.failed: List[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run)

    def _run(self) -> None:
        while not self._stop.is_set():
            sender = f"steady-{uuid.uuid4().hex[:10]}"
            try:
                reply = requests.post(self.url, json={"sender": sender, "message": "hello"},
                                      timeout=30)
                texts = [message.get("text") for message in reply.json()]
                # The kind technical-problem reply is not an answer (and nothing is stored).
                ok = reply.status_code == 200 and bool(texts) and self.problem not in texts
            except (requests.RequestException, ValueError):
                ok = False
            (self.answered.append((time.monotonic(), sender)) if ok
             else self.failed.append(time.monotonic()))
            time.sleep(0.2)

    def __enter__(self) -> "SteadyPatient":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=60)


def recovers_after(patient: SteadyPatient, back: float) -> float:
    """Seconds from `back` (the service is up again) to the first answer after it."""
    later = [t for t, _ in patient.answered if t >= back]
    assert later, "no message was answered after the restart"
    return later[0] - back


@pytest.mark.parametrize("service", ["redis", "postgresql"])
def test_a_restarted_service_recovers_by_itself_and_loses_no_stored_message(cluster, content,
                                                                          service):
    with SteadyPatient(cluster, content) as patient:
        time.sleep(3)
        before = len(patient.answered)
        (cluster.restart_redis if service == "redis" else cluster.restart_postgres)()
        back = time.monotonic()
        time.sleep(12)
    assert before > 0
    seconds = recovers_after(patient, back)
    print(f"\n{service} restart: first answer {seconds:.1f} s after it was back; "
          f"{len(patient.failed)} message(s) failed meanwhile")
    assert seconds <= 30
    assert len(patient.failed) <= 2  # a message in flight at the moment of the restart
    engine = sa.create_engine(cluster.postgres.url)
    try:
        with engine.connect() as connection:
            stored = set(connection.execute(sa.text(
                "SELECT DISTINCT sender_id FROM events WHERE sender_id LIKE 'steady-%'"))
                .scalars())
    finally:
        engine.dispose()
    answered = {sender for _, sender in patient.answered}
    assert answered <= stored  # every answered message is stored
