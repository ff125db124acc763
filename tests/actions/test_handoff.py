"""action_handoff and a session start while the patient is with staff."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Dict

import pytest
from rasa_sdk.events import ConversationPaused, SessionStarted, SlotSet

import actions.handoff as handoff_actions
from actions.handoff import ActionHandoff
from actions.session import ActionSessionStart
from clinic_assistant.handoff.rules import HandoffRules
from clinic_assistant.handoff.service import staff_available
from clinic_assistant.handoff.store import HandoffStore
from tests.conftest import payloads, texts

WAITING_PAYLOAD = {"data": {"handoff": "waiting"}}


def rules(open_all_day: bool) -> HandoffRules:
    """Staff hours every day around the clock, or never."""
    hours = {day: (dt.time(0), dt.time(0)) for day in range(7)} if open_all_day else {}
    return HandoffRules(time_zone=dt.timezone.utc, staff_hours=hours, claim_timeout_seconds=180,
                        presence_seconds=60, callback_retention_days=30)


def sign_in(store: HandoffStore) -> None:
    """A staff member with the console open."""
    store.add_staff("anna", "Anna", "a long enough password")
    store.start_session("anna", 3600)


@pytest.fixture
def staff_hours(monkeypatch: pytest.MonkeyPatch):
    """Set the staff hours the action sees: staff_hours(True) is 24/7, False is never."""

    def set_hours(open_all_day: bool) -> None:
        monkeypatch.setattr(handoff_actions, "get_rules", lambda: rules(open_all_day))

    return set_hours


@pytest.fixture
def staff_on_duty(staff_hours, handoff_store: HandoffStore) -> HandoffStore:
    """24/7 hours and someone signed in: live chat is available."""
    staff_hours(True)
    sign_in(handoff_store)
    return handoff_store


def reason_entity(reason: str) -> Dict[str, str]:
    """The entity a person button's payload carries."""
    return {"entity": "handoff_reason", "value": reason}


def test_availability_needs_both_staff_hours_and_a_signed_in_member(
    handoff_store: HandoffStore,
) -> None:
    """Neither hours alone nor a signed-in member alone is enough."""
    assert not staff_available(handoff_store, rules(True))
    sign_in(handoff_store)
    assert staff_available(handoff_store, rules(True))
    assert not staff_available(handoff_store, rules(False))


async def test_with_staff_available_the_patient_joins_the_queue_and_the_bot_pauses(
    dispatcher, make_tracker, content, staff_on_duty: HandoffStore
) -> None:
    """One waiting record with the button's reason, the waiting message and the widget payload."""
    tracker = make_tracker('/request_human{"handoff_reason": "red_flag"}', "request_human",
                           entities=[reason_entity("red_flag")])
    events = await ActionHandoff().run(dispatcher, tracker, {})
    assert events == [SlotSet("handoff_reason", "red_flag"), ConversationPaused()]
    assert texts(dispatcher) == [content.message("handoff_waiting")]
    assert dispatcher.messages[-1]["custom"] == WAITING_PAYLOAD
    queue = staff_on_duty.queue()
    assert [(h.conversation_id, h.status, h.reason) for h in queue] == [
        ("patient-1", "waiting", "red_flag")]


@pytest.mark.parametrize("intent, reason", [("request_human", "requested"),
                                            ("book_consultation", "consultation")])
async def test_typed_requests_get_the_intent_default_reason(
    dispatcher, make_tracker, content, staff_on_duty: HandoffStore, intent: str, reason: str
) -> None:
    """A consultation request is introduced first, then the patient waits."""
    await ActionHandoff().run(dispatcher, make_tracker("can I talk to someone", intent), {})
    assert [h.reason for h in staff_on_duty.queue()] == [reason]
    expected = [content.message("handoff_waiting")]
    if intent == "book_consultation":
        expected.insert(0, content.message("consultation_intro"))
    assert texts(dispatcher) == expected


async def test_nobody_signed_in_offers_a_callback_and_stores_nothing(
    dispatcher, make_tracker, content, staff_hours, handoff_store: HandoffStore
) -> None:
    """Inside hours but nobody at the console: the call-back offer, no pause, no record."""
    staff_hours(True)
    tracker = make_tracker("/book_consultation", "book_consultation",
                           entities=[reason_entity("personal_question")])
    events = await ActionHandoff().run(dispatcher, tracker, {})
    assert events == [SlotSet("handoff_reason", "personal_question")]
    assert texts(dispatcher) == [content.message("consultation_intro"),
                                 content.message("handoff_unavailable")]
    assert content.clinic.phone in texts(dispatcher)[-1]
    assert payloads(dispatcher) == ["/request_callback", "/deny"]
    assert all(not m["custom"] for m in dispatcher.messages)
    assert handoff_store.queue() == []


async def test_outside_staff_hours_a_signed_in_member_is_not_enough(
    dispatcher, make_tracker, content, staff_hours, handoff_store: HandoffStore
) -> None:
    """Closed hours: call-back offer even with someone at the console."""
    staff_hours(False)
    sign_in(handoff_store)
    events = await ActionHandoff().run(dispatcher, make_tracker("human", "request_human"), {})
    assert ConversationPaused() not in events
    assert texts(dispatcher) == [content.message("handoff_unavailable")]
    assert handoff_store.queue() == []


async def test_asking_again_while_waiting_adds_no_second_record(
    dispatcher, make_tracker, content, staff_on_duty: HandoffStore
) -> None:
    """The patient is told they are already connected and the pause is kept."""
    first = staff_on_duty.start_live("patient-1", "requested")
    events = await ActionHandoff().run(dispatcher, make_tracker("hello?", "request_human"), {})
    assert events == [ConversationPaused()]
    assert texts(dispatcher) == [content.message("handoff_already_waiting")]
    assert staff_on_duty.queue() == [first]


async def test_a_closed_handoff_does_not_block_a_new_one(
    dispatcher, make_tracker, staff_on_duty: HandoffStore
) -> None:
    """After staff closed the chat the patient can ask again."""
    first = staff_on_duty.start_live("patient-1", "requested")
    staff_on_duty.close(first.id, "anna")
    await ActionHandoff().run(dispatcher, make_tracker("human", "request_human"), {})
    assert [h.status for h in staff_on_duty.queue()] == ["waiting"]
    assert staff_on_duty.queue()[0].id != first.id


def break_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point HANDOFF_DB_URL at a folder, so that every query fails."""
    from clinic_assistant.handoff import service

    monkeypatch.setenv("HANDOFF_DB_URL", f"sqlite:///{tmp_path}")
    service.get_store.cache_clear()


async def test_a_database_failure_gives_the_technical_problem_message(
    dispatcher, make_tracker, content, staff_hours, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No pause and no call-back offer that could not be stored either."""
    staff_hours(True)
    break_database(tmp_path, monkeypatch)
    events = await ActionHandoff().run(dispatcher, make_tracker("human", "request_human"), {})
    assert events == []
    assert texts(dispatcher) == [content.message("technical_problem")]


async def test_a_new_session_while_with_staff_stays_paused_without_a_welcome(
    dispatcher, make_tracker, handoff_store: HandoffStore
) -> None:
    """The session starts, carried slots are kept, and the pause comes last."""
    handoff_store.start_live("patient-1", "red_flag")
    events = await ActionSessionStart().run(
        dispatcher, make_tracker(slots={"red_flag_raised": True}), {})
    assert dispatcher.messages == []
    assert events[0] == SessionStarted()
    assert SlotSet("red_flag_raised", True) in events
    assert events[-1] == ConversationPaused()


async def test_a_new_session_after_the_handoff_closed_welcomes_again(
    dispatcher, make_tracker, content, handoff_store: HandoffStore
) -> None:
    """Only an open handoff keeps the pause."""
    handoff = handoff_store.start_live("patient-1", "requested")
    handoff_store.close(handoff.id, "anna")
    events = await ActionSessionStart().run(dispatcher, make_tracker(), {})
    assert texts(dispatcher)[0] == content.message("welcome")
    assert ConversationPaused() not in events


async def test_a_session_start_with_the_database_down_still_welcomes(
    dispatcher, make_tracker, content, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A broken handoff database never silences the assistant."""
    break_database(tmp_path, monkeypatch)
    events = await ActionSessionStart().run(dispatcher, make_tracker(), {})
    assert texts(dispatcher)[0] == content.message("welcome")
    assert ConversationPaused() not in events
