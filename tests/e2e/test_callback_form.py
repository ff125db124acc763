"""The call-back form through the REST channel of the real assistant, stored in the real
handoff database only after explicit consent."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.e2e.test_conversations import payloads, texts

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
