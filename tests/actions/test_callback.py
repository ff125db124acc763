"""The call-back form: checks with re-prompts, explicit consent, nothing stored without it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict, List

import pytest
from rasa_sdk.events import ActiveLoop, SlotSet
from sqlalchemy import select

from actions.callback import (
    FORM_SLOTS,
    ActionCancelCallback,
    ActionSubmitCallback,
    AskForCallbackConsent,
    AskForCallbackContact,
    AskForCallbackReason,
    AskForCallbackSlot,
    AskForCallbackTime,
    ValidateCallbackForm,
)
from clinic_assistant.handoff.database import make_session_factory
from clinic_assistant.handoff.records import CallbackRequest, Handoff
from clinic_assistant.handoff.store import HandoffStore
from tests.conftest import payloads, texts

FILLED = {"callback_name": "Sam Jones", "callback_contact": "+15550102030",
          "callback_time": "weekday mornings", "callback_reason": "questions about the cost",
          "handoff_reason": "red_flag"}
CLEARED = [SlotSet(slot, None) for slot in FORM_SLOTS]


def stored(url: str) -> List[CallbackRequest]:
    """Every call-back request in the test's database."""
    with make_session_factory(url)() as session:
        return list(session.scalars(select(CallbackRequest)).all())


def handoffs(url: str) -> List[Handoff]:
    """Every handoff record in the test's database."""
    with make_session_factory(url)() as session:
        return list(session.scalars(select(Handoff)).all())


async def validate(slot: str, value: Any, dispatcher, make_tracker) -> Dict[str, Any]:
    """Run the form's check for one slot."""
    check = getattr(ValidateCallbackForm(), f"validate_{slot}")
    return await check(value, dispatcher, make_tracker(str(value), "inform"), {})


@pytest.mark.parametrize("slot, value, cleaned", [
    ("callback_name", "  Sam   Jones ", "Sam Jones"),
    ("callback_contact", "+1 (555) 010-2030", "+15550102030"),
    ("callback_contact", "Sam@Example.com", "sam@example.com"),
    ("callback_time", "after  5 pm", "after 5 pm"),
    ("callback_reason", "questions about the cost", "questions about the cost"),
])
async def test_good_answers_fill_the_slot_silently(
    dispatcher, make_tracker, slot: str, value: str, cleaned: str
) -> None:
    """The cleaned value is kept and nothing is said."""
    assert await validate(slot, value, dispatcher, make_tracker) == {slot: cleaned}
    assert dispatcher.messages == []


@pytest.mark.parametrize("slot, value, key", [
    ("callback_contact", "555 01", "callback_phone_invalid"),
    ("callback_contact", "sam@example", "callback_email_invalid"),
    ("callback_contact", "tomorrow please", "callback_contact_invalid"),
    ("callback_name", "", "callback_name_missing"),
    ("callback_name", None, "callback_name_missing"),
    ("callback_name", "<img src=x onerror=alert(1)>", "callback_name_invalid"),
    ("callback_name", "how much does it cost?", "callback_name_invalid"),
    ("callback_name", "I would like you to call me back please", "callback_name_invalid"),
    ("callback_time", "x" * 121, "callback_time_invalid"),
    ("callback_reason", "x" * 501, "callback_reason_invalid"),
    ("callback_reason", "   ", "callback_reason_invalid"),
])
async def test_bad_answers_are_refused_with_what_to_fix(
    dispatcher, make_tracker, content, slot: str, value: Any, key: str
) -> None:
    """The slot is emptied so the form asks again, after the matching explanation."""
    assert await validate(slot, value, dispatcher, make_tracker) == {slot: None}
    assert texts(dispatcher) == [content.message(key)]


@pytest.mark.parametrize("action, key", [
    (AskForCallbackSlot, "callback_ask_name"), (AskForCallbackContact, "callback_ask_contact"),
    (AskForCallbackTime, "callback_ask_time"), (AskForCallbackReason, "callback_ask_reason"),
])
async def test_each_question_has_a_cancel_button(
    dispatcher, make_tracker, content, action, key: str
) -> None:
    """The action names match the slots; every question can be cancelled."""
    assert action().name() == "action_ask_" + key.replace("callback_ask_", "callback_")
    await action().run(dispatcher, make_tracker(), {})
    assert texts(dispatcher) == [content.message(key)]
    assert payloads(dispatcher) == ["/cancel"]


async def test_consent_question_names_the_contact_and_the_retention(
    dispatcher, make_tracker, content
) -> None:
    """The patient sees what is stored and for how long (content/handoff.yml), then yes or no."""
    await AskForCallbackConsent().run(dispatcher, make_tracker(slots=FILLED), {})
    said = texts(dispatcher)
    assert said == [content.message("callback_ask_consent", contact="+15550102030", days="30")]
    assert "+15550102030" in said[0] and "deleted after 30 days" in said[0]
    assert payloads(dispatcher) == ["/affirm", "/deny"]
    assert [b["title"] for b in dispatcher.messages[0]["buttons"]] == [
        content.message("callback_consent_yes"), content.message("callback_consent_no")]


async def test_consent_stores_exactly_the_typed_request_and_says_the_reference(
    dispatcher, make_tracker, content, handoff_db_url: str, handoff_store: HandoffStore
) -> None:
    """One request with the values typed, the handoff reason, and a reference to quote."""
    tracker = make_tracker("/affirm", "affirm", slots={**FILLED, "callback_consent": True})
    events = await ActionSubmitCallback().run(dispatcher, tracker, {})
    [request] = stored(handoff_db_url)
    assert (request.name, request.contact, request.contact_kind, request.preferred_time,
            request.reason_text) == ("Sam Jones", "+15550102030", "phone", "weekday mornings",
                                     "questions about the cost")
    assert re.fullmatch(r"CB-[A-Z2-9]{5}", request.reference)
    [handoff] = handoffs(handoff_db_url)
    assert (handoff.conversation_id, handoff.reason, handoff.status) == (
        "patient-1", "red_flag", "callback")
    assert texts(dispatcher) == [content.message(
        "callback_saved", name="Sam Jones", reference=request.reference,
        preferred_time="weekday mornings")]
    assert request.reference in texts(dispatcher)[0]
    # The reference marks the request as stored, so the tracker store keeps the answers.
    assert events == [SlotSet("callback_reference", request.reference), *CLEARED]
    assert [h.id for h in handoff_store.queue()] == [handoff.id]


async def test_without_a_handoff_reason_the_request_counts_as_requested(
    dispatcher, make_tracker, handoff_db_url: str
) -> None:
    """A call-back asked for directly has the default reason."""
    slots = {**FILLED, "handoff_reason": None, "callback_consent": True}
    await ActionSubmitCallback().run(dispatcher, make_tracker("/affirm", "affirm", slots=slots), {})
    assert [h.reason for h in handoffs(handoff_db_url)] == ["requested"]


@pytest.mark.parametrize("consent", [False, None])
async def test_no_consent_stores_nothing(
    dispatcher, make_tracker, content, handoff_db_url: str, consent
) -> None:
    """The patient is told nothing was kept, and the form's answers are forgotten."""
    tracker = make_tracker("/deny", "deny", slots={**FILLED, "callback_consent": consent})
    events = await ActionSubmitCallback().run(dispatcher, tracker, {})
    assert texts(dispatcher) == [content.message("callback_not_saved")]
    assert events == CLEARED
    assert stored(handoff_db_url) == [] and handoffs(handoff_db_url) == []


async def test_cancel_stops_the_form_and_stores_nothing(
    dispatcher, make_tracker, content, handoff_db_url: str
) -> None:
    """The form ends, every answer is forgotten, nothing reaches the database."""
    tracker = make_tracker("/cancel", "cancel", slots=FILLED, active_loop={"name": "callback_form"})
    events = await ActionCancelCallback().run(dispatcher, tracker, {})
    assert texts(dispatcher) == [content.message("callback_cancelled")]
    assert events[:2] == [ActiveLoop(None), SlotSet("requested_slot", None)]
    assert events[2:] == CLEARED
    assert stored(handoff_db_url) == []


async def test_a_database_failure_says_so_and_forgets_the_answers(
    dispatcher, make_tracker, content, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The patient is given the phone number instead of a reference."""
    from clinic_assistant.handoff import service

    monkeypatch.setenv("HANDOFF_DB_URL", f"sqlite:///{tmp_path}")
    service.get_store.cache_clear()
    tracker = make_tracker("/affirm", "affirm", slots={**FILLED, "callback_consent": True})
    events = await ActionSubmitCallback().run(dispatcher, tracker, {})
    assert texts(dispatcher) == [content.message("callback_failed")]
    assert content.clinic.phone in texts(dispatcher)[0]
    assert events == CLEARED
