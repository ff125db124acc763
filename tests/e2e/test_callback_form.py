"""The call-back form through the REST channel of the real assistant, stored in the real
handoff database only after explicit consent."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import pytest
import requests

from tests.conftest import PROJECT_ROOT
from tests.e2e.test_conversations import payloads, texts
from tests.e2e.test_live_handoff import PASSWORD, staff, waiting_id  # noqa: F401 - fixture

pytestmark = pytest.mark.e2e


def new_patient() -> str:
    return f"callback-{uuid.uuid4().hex[:8]}"


def stored_callbacks(assistant, patient: str):
    return assistant.handoff_rows(
        "SELECT c.reference, c.name, c.contact, c.contact_kind, c.preferred_time, c.reason_text,"
        " h.status, h.reason FROM callback_requests c JOIN handoffs h ON h.id = c.handoff_id"
        " WHERE h.conversation_id = ?", patient)


def start_form(assistant, content, patient: str) -> None:
    assistant.sign_out_all_staff()
    offer = assistant.say(patient, "can i talk to a real person please")
    assert content.message("handoff_unavailable") in texts(offer)
    assert "/request_callback" in payloads(offer)
    asked = assistant.say(patient, "/request_callback")
    assert texts(asked) == [content.message("callback_ask_name")]
    assert payloads(asked) == ["/cancel"]


def test_bad_phone_and_bad_email_are_explained_then_a_consented_request_is_stored(
        assistant, content, webhook):
    patient = new_patient()
    start_form(assistant, content, patient)
    assert texts(assistant.say(patient, "Sam Jones")) == [content.message("callback_ask_contact")]

    bad_phone = texts(assistant.say(patient, "555 12"))
    assert bad_phone == [content.message("callback_phone_invalid"),
                         content.message("callback_ask_contact")]
    bad_email = texts(assistant.say(patient, "sam@example"))
    assert bad_email == [content.message("callback_email_invalid"),
                         content.message("callback_ask_contact")]

    assert texts(assistant.say(patient, "sam.jones@example.com")) == [
        content.message("callback_ask_time")]
    assert texts(assistant.say(patient, "weekday mornings before 11")) == [
        content.message("callback_ask_reason")]
    consent = assistant.say(patient, "I'd like to know what the injection costs and how long it takes")
    assert texts(consent) == [content.message("callback_ask_consent",
                                              contact="sam.jones@example.com", days="30")]
    assert payloads(consent) == ["/affirm", "/deny"]
    assert stored_callbacks(assistant, patient) == []  # nothing before consent

    confirmation = texts(assistant.say(patient, "yes that's fine"))
    rows = stored_callbacks(assistant, patient)
    assert len(rows) == 1
    reference, name, contact, kind, when, reason, status, why = rows[0]
    assert re.fullmatch(r"CB-[2-9A-HJ-NP-Z]{5}", reference)
    assert (name, contact, kind, when, status, why) == (
        "Sam Jones", "sam.jones@example.com", "email", "weekday mornings before 11",
        "callback", "requested")
    assert reason.startswith("I'd like to know what the injection costs")
    assert confirmation == [content.message("callback_saved", name="Sam Jones",
                                            reference=reference,
                                            preferred_time="weekday mornings before 11")]
    notices = [b for b in webhook.bodies if b.get("event") == "callback_requested"]
    assert notices, "the webhook receiver got no call-back notification"
    body = str(notices[-1])
    assert "Sam" not in body and "example.com" not in body and patient not in body
    assert notices[-1]["console_url"] == "http://console.example/"
    for process in assistant.processes:  # patient data never reaches the application logs
        log = process.log.read_text(errors="replace")
        assert "sam.jones@example.com" not in log and "Sam Jones" not in log, process.log.name


def test_refused_consent_stores_nothing(assistant, content):
    patient = new_patient()
    start_form(assistant, content, patient)
    for answer in ("Alex", "+1 (555) 010-9999", "any time", "cost questions"):
        assistant.say(patient, answer)
    replies = texts(assistant.say(patient, "no, I don't want that stored"))
    assert replies == [content.message("callback_not_saved")]
    assert stored_callbacks(assistant, patient) == []
    follow_up = texts(assistant.say(patient, "what are the risks of stem cell injections"))
    assert content.render(content.answers["faq_risks"].answer) in follow_up


def test_a_red_flag_during_the_form_gets_emergency_advice_and_ends_the_form(assistant, content):
    patient = new_patient()
    start_form(assistant, content, patient)
    assistant.say(patient, "Jo")
    replies = texts(assistant.say(
        patient, "actually my legs went numb this morning and I can't control my bladder"))
    assert replies[0] == content.message("emergency_advice")
    after = texts(assistant.say(patient, "what is a herniated disc"))
    assert content.render(content.answers["faq_herniated_disc"].answer) in after
    assert stored_callbacks(assistant, patient) == []


def test_cancel_at_any_time_stores_nothing(assistant, content):
    patient = new_patient()
    start_form(assistant, content, patient)
    assistant.say(patient, "Chris")
    assert texts(assistant.say(patient, "/cancel")) == [content.message("callback_cancelled")]
    assert stored_callbacks(assistant, patient) == []
    patient = new_patient()
    start_form(assistant, content, patient)
    assistant.say(patient, "Chris")
    assistant.say(patient, "chris@example.org")
    assert texts(assistant.say(patient, "never mind, forget it")) == [
        content.message("callback_cancelled")]
    assert stored_callbacks(assistant, patient) == []


# --- Consent that is true: nothing of a form that ends without consent is left anywhere ---

def unique_details() -> Tuple[str, str, str, str]:
    """A name, an email, a time and a reason no other test types (so every hit is this one's)."""
    tag = uuid.uuid4().hex[:6]
    return (f"Quillon Varga{tag}", f"qv{tag}@example.org", f"thursdays {tag}",
            f"questions about my sciatica {tag}")


def files_written(assistant) -> List[Path]:
    """Every file the servers wrote: both SQLite databases with their -wal/-shm, every log."""
    folder = assistant.tracker_db.parent
    files = sorted(path for path in folder.iterdir() if path.is_file())
    assert {p.name for p in files} >= {"tracker.db", "handoff.db", "rasa.log", "actions.log",
                                       "console.log", "demo.log"}
    return files


def every_table(path: Path) -> str:
    """Every row of every table of a SQLite file, as text."""
    with sqlite3.connect(path) as connection:
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
        assert tables
        return "\n".join(repr(connection.execute(f'SELECT * FROM "{table}"').fetchall())
                         for table in tables)


def occurrences(assistant, content, patient: str, values: Sequence[str]) -> Dict[str, int]:
    """How often each value occurs in the databases' tables, in the raw bytes of every file
    the servers wrote, in the tracker the HTTP API (and so the staff console) serves, and in
    the report made from the conversation store."""
    found: Dict[str, int] = {}
    tables = every_table(assistant.tracker_db) + every_table(
        Path(assistant.handoff_db_url[len("sqlite:///"):]))
    raw = b"".join(path.read_bytes() for path in files_written(assistant))
    # All sessions, before and after a restart: what the staff console's transcript reads.
    api = json.dumps(requests.get(
        f"{assistant.url}/conversations/{patient}/tracker",
        params={"token": assistant.token, "include_events": "ALL"}, timeout=30).json())
    report_dir = assistant.tracker_db.parent.parent / f"report-{patient}"
    subprocess.run([sys.executable, "-m", "clinic_assistant.reporting", "--db",
                    str(assistant.tracker_db), "--out", str(report_dir)],
                   check=True, capture_output=True, cwd=PROJECT_ROOT)
    report = "".join(p.read_text(errors="replace") for p in report_dir.iterdir())
    placeholder = content.message("callback_details_removed")
    assert placeholder not in report  # erased answers are not "questions it could not answer"
    for value in values:
        found[f"tables:{value}"] = tables.count(value)
        found[f"files:{value}"] = raw.count(value.encode())
        found[f"api:{value}"] = api.count(value)
        found[f"report:{value}"] = report.count(value)
    return {where: count for where, count in found.items() if count}


def fill_form(assistant, content, patient: str, details: Sequence[str], answers: int) -> None:
    """Start the form and type the first `answers` details (name, email, time, reason)."""
    start_form(assistant, content, patient)
    for value in details[:answers]:
        assistant.say(patient, value)


def assert_erased(assistant, content, patient: str, details: Sequence[str]) -> None:
    assert stored_callbacks(assistant, patient) == []
    assert occurrences(assistant, content, patient, details) == {}
    placeholder = content.message("callback_details_removed")
    stored = [e for e in assistant.tracker(patient)["events"] if e["event"] == "user"]
    assert placeholder in [e["text"] for e in stored]


def test_refused_consent_leaves_no_detail_in_any_database_log_or_report(
        assistant, content, webhook):
    patient, details = new_patient(), unique_details()
    fill_form(assistant, content, patient, details, 4)
    before = occurrences(assistant, content, patient, details)
    assert before, "the details should be stored while the form runs"
    assert texts(assistant.say(patient, "No, don't store my details")) == [
        content.message("callback_not_saved")]
    assert_erased(assistant, content, patient, details)
    assert not any(value in json.dumps(webhook.bodies) for value in details)
    # The conversation goes on normally after the rewrite.
    follow_up = texts(assistant.say(patient, "what are the risks of stem cell injections"))
    assert content.render(content.answers["faq_risks"].answer) in follow_up
    assert occurrences(assistant, content, patient, details) == {}


def test_cancel_leaves_no_detail(assistant, content):
    patient, details = new_patient(), unique_details()
    fill_form(assistant, content, patient, details, 3)
    assert texts(assistant.say(patient, "never mind, forget it")) == [
        content.message("callback_cancelled")]
    assert_erased(assistant, content, patient, details)


def test_a_red_flag_interrupting_the_form_leaves_no_detail_but_keeps_the_red_flag(
        assistant, content):
    patient, details = new_patient(), unique_details()
    fill_form(assistant, content, patient, details, 2)
    red_flag = "actually my legs went numb this morning and I can't control my bladder"
    assert texts(assistant.say(patient, red_flag))[0] == content.message("emergency_advice")
    assert_erased(assistant, content, patient, details)
    stored = [e["text"] for e in assistant.tracker(patient)["events"] if e["event"] == "user"]
    assert red_flag in stored


@pytest.mark.parametrize("command", ["/restart", "/session_start"])
def test_a_form_abandoned_by_a_restart_or_a_new_session_leaves_no_detail(
        assistant, content, command):
    patient, details = new_patient(), unique_details()
    fill_form(assistant, content, patient, details, 4)  # stops at the consent question
    assert occurrences(assistant, content, patient, details)
    assistant.say(patient, command)
    assert stored_callbacks(assistant, patient) == []
    assert occurrences(assistant, content, patient, details) == {}


def test_consent_given_still_stores_the_request(assistant, content):
    patient, details = new_patient(), unique_details()
    fill_form(assistant, content, patient, details, 4)
    assistant.say(patient, "yes that's fine")
    [row] = stored_callbacks(assistant, patient)
    assert row[1:3] == (details[0], details[1])
    events = assistant.tracker(patient)["events"]
    assert details[1] in [e.get("value") for e in events if e["event"] == "slot"]
    # Contact details given for a call-back are not "questions it could not answer".
    found = occurrences(assistant, content, patient, details)
    assert found and not [where for where in found if where.startswith("report:")]


def test_the_staff_console_transcript_shows_the_placeholder_not_the_details(
        assistant, content, staff):
    """The patient refuses, then asks for a person: the console shows no refused detail."""
    patient, details = new_patient(), unique_details()
    assistant.sign_out_all_staff()
    fill_form(assistant, content, patient, details, 4)
    assistant.say(patient, "no")
    assert staff.sign_in("anna", PASSWORD).status_code == 303
    replies = assistant.say(patient, "I'd like to talk to a person")
    assert content.message("handoff_waiting") in texts(replies)
    detail = staff.detail(waiting_id(staff))
    shown = json.dumps(detail)
    assert [value for value in details if value in shown] == []
    assert content.message("callback_details_removed") in [
        line.get("text") for line in detail["transcript"]]
