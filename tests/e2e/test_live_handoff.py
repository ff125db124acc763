"""Live takeover through the real assistant and the real staff console (HTTP API level; the
browser test in tests/web does the same through the widget and the console page)."""

from __future__ import annotations

import uuid

import pytest
import requests

from tests.e2e.staff import StaffConsole, bot_texts, wait_for
from tests.e2e.test_conversations import texts

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery"


def new_patient() -> str:
    return f"live-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def staff(assistant) -> StaffConsole:
    """A signed-in staff member (the account is created with the real command)."""
    assistant.add_staff("anna", "Anna (nurse)", PASSWORD)
    console = StaffConsole(assistant.console_url)
    assert console.sign_in("anna", PASSWORD).status_code == 303
    yield console
    assistant.sign_out_all_staff()


def waiting_id(console: StaffConsole) -> int:
    return wait_for(lambda: [h["id"] for h in console.overview()["waiting"]], what="a waiting chat")[-1]


def test_staff_take_over_reply_and_hand_back(assistant, content, staff, webhook):
    patient = new_patient()
    assistant.say(patient, "hi")
    replies = assistant.say(patient, "I'd like to talk to a person")
    assert [r.get("text") for r in replies] == [content.message("handoff_waiting"), None]
    assert replies[1]["custom"] == {"data": {"handoff": "waiting"}}
    handoff_id = waiting_id(staff)
    assert any(b.get("event") == "patient_waiting" and b.get("handoff_id") == handoff_id
               for b in webhook.bodies)

    # While waiting, the assistant is silent and keeps what the patient writes.
    assert assistant.say(patient, "hello? I have questions about my scan") == []
    lines = staff.detail(handoff_id)["transcript"]
    assert {"from": "patient", "text": "hello? I have questions about my scan"}.items() <= lines[-1].items()

    assert staff.api("POST", f"/handoffs/{handoff_id}/claim").status_code == 200
    assert staff.api("POST", f"/handoffs/{handoff_id}/claim").status_code == 409
    assert staff.api("POST", f"/handoffs/{handoff_id}/reply",
                     json={"text": "Hi, I'm Anna. What did the scan say?"}).status_code == 200
    tracker = assistant.tracker(patient)
    staff_messages = [e["data"]["custom"]["data"] for e in tracker["events"]
                      if e["event"] == "bot" and (e.get("data") or {}).get("custom")]
    assert {"sender": "staff", "name": "Anna (nurse)",
            "text": "Hi, I'm Anna. What did the scan say?"} in staff_messages
    assert tracker["paused"] is True
    assert assistant.say(patient, "it says L4-L5 bulge") == []
    assert staff.detail(handoff_id)["transcript"][-1]["text"] == "it says L4-L5 bulge"

    assert staff.api("POST", f"/handoffs/{handoff_id}/hand-back").status_code == 200
    assert assistant.tracker(patient)["paused"] is False
    after = texts(assistant.say(patient, "how long is recovery after the injection"))
    assert content.render(content.answers["faq_recovery"].answer) in after
    outcome = assistant.handoff_rows("SELECT status, outcome, assigned_staff, reason FROM handoffs"
                                     " WHERE id = ?", handoff_id)
    assert outcome == [("closed", "handed_back", "anna", "requested")]


def test_restart_while_waiting_keeps_the_chat_with_staff(assistant, content, staff):
    patient = new_patient()
    assistant.say(patient, "/request_human")
    handoff_id = waiting_id(staff)
    assert texts(assistant.say(patient, "/restart")) == [content.message("restart_while_with_staff")]
    assert assistant.tracker(patient)["paused"] is True
    assert assistant.say(patient, "still there?") == []
    assert staff.api("POST", f"/handoffs/{handoff_id}/close").status_code == 200
    assert assistant.tracker(patient)["paused"] is False


def test_nobody_claims_in_time_so_the_patient_is_told_and_offered_a_call_back(
        assistant, content, staff):
    patient = new_patient()
    assistant.say(patient, '/request_human{"handoff_reason": "red_flag"}')
    handoff_id = waiting_id(staff)
    unclaimed = content.message("handoff_unclaimed")
    wait_for(lambda: staff.overview() and unclaimed in bot_texts(assistant.tracker(patient)),
             seconds=60, what="the unclaimed message")
    assert assistant.handoff_rows("SELECT status, outcome, reason FROM handoffs WHERE id = ?",
                                  handoff_id) == [("closed", "unclaimed", "red_flag")]
    offer = [e for e in assistant.tracker(patient)["events"]
             if e["event"] == "bot" and e.get("text") == unclaimed][0]
    assert [b["payload"] for b in offer["data"]["buttons"]] == ["/request_callback", "/deny"]
    answer = texts(assistant.say(patient, "what is a herniated disc"))
    assert content.render(content.answers["faq_herniated_disc"].answer) in answer


def test_the_console_refuses_strangers_and_wrong_passwords(assistant):
    assistant.add_staff("ben", "Ben", PASSWORD)
    url = assistant.console_url
    page = requests.get(f"{url}/", allow_redirects=False, timeout=30)
    assert page.status_code == 303 and page.headers["Location"] == "/login"
    assert requests.get(f"{url}/api/overview", timeout=30).status_code == 401
    assert requests.post(f"{url}/api/handoffs/1/claim", timeout=30).status_code == 401

    wrong = StaffConsole(url)
    reply = wrong.sign_in("ben", "not the password")
    assert reply.status_code == 303 and reply.headers["Location"] == "/login?error=1"
    assert "clinic_staff_session" not in wrong.http.cookies
    assert wrong.api("GET", "/overview").status_code == 401

    right = StaffConsole(url)
    reply = right.sign_in("ben", PASSWORD)
    cookie = reply.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert right.http.post(f"{url}/api/handoffs/1/claim", timeout=30).status_code == 403  # no header
    assert "frame-ancestors 'none'" in right.http.get(f"{url}/", timeout=30).headers[
        "Content-Security-Policy"]
    right.http.post(f"{url}/logout", timeout=30)
    assert right.api("GET", "/overview").status_code == 401


def test_the_console_pauses_again_a_waiting_chat_that_something_resumed(assistant, staff):
    """A second line of defence (session expiry, other tools): open handoffs stay paused."""
    patient = new_patient()
    assistant.say(patient, "/request_human")
    handoff_id = waiting_id(staff)
    resumed = requests.post(
        f"{assistant.url}/conversations/{patient}/tracker/events",
        params={"token": assistant.token},
        json=[{"event": "resume"}, {"event": "action", "name": "action_listen"}], timeout=30)
    assert resumed.status_code == 200
    wait_for(lambda: assistant.tracker(patient)["paused"], seconds=20, what="the pause again")
    assert staff.api("POST", f"/handoffs/{handoff_id}/close").status_code == 200
