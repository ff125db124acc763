"""Which events are rewritten when a call-back form ends without a stored request."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

from rasa.shared.core.events import (
    ActionExecuted, ActiveLoop, BotUttered, Restarted, SessionStarted, SlotSet, UserUttered,
)

from clinic_assistant.privacy.callback_erasure import (
    erasure_plan,
    form_spans,
    is_erased_message,
    may_need_erasure,
)

PLACEHOLDER = "[removed: call-back details, no consent]"
DETAILS = ("Sam Jones", "sam.jones@example.com", "weekday mornings", "cost of the injection")


def user(text: str, intent: str = "inform") -> UserUttered:
    return UserUttered(text, {"name": intent, "confidence": 0.8},
                       [{"entity": "person", "value": text, "start": 0, "end": len(text)}],
                       parse_data={"intent": {"name": intent, "confidence": 0.8},
                                   "entities": [], "text": text,
                                   "segments": [text], "intent_ranking": [{"name": intent}]},
                       input_channel="rest", message_id="m1", metadata={"page": text})


def answer(text: str, slot: str, value: Optional[str], next_slot: Optional[str],
           question: str) -> List[Any]:
    return [user(text), ActionExecuted("callback_form"), SlotSet(slot, value),
            SlotSet("requested_slot", next_slot), BotUttered(question),
            ActionExecuted("action_listen")]


def form_until_consent() -> List[Any]:
    """A form with a rejected phone number, up to the consent question (naming the contact)."""
    return [
        user("/request_callback", "request_callback"), ActionExecuted("callback_form"),
        ActiveLoop("callback_form"), SlotSet("requested_slot", "callback_name"),
        BotUttered("what name should we use?"), ActionExecuted("action_listen"),
        *answer("Sam Jones", "callback_name", "Sam Jones", "callback_contact", "phone or email?"),
        *answer("555 12", "callback_contact", None, "callback_contact", "That phone number..."),
        *answer("sam.jones@example.com", "callback_contact", "sam.jones@example.com",
                "callback_time", "When?"),
        *answer("weekday mornings", "callback_time", "weekday mornings", "callback_reason",
                "What about?"),
        *answer("cost of the injection", "callback_reason", "cost of the injection",
                "callback_consent", "we will store your name, sam.jones@example.com ... agree?"),
    ]


def consent_answer(value: bool, reference: Optional[str]) -> List[Any]:
    events = [user("yes" if value else "no, don't store it", "affirm" if value else "deny"),
              ActionExecuted("callback_form"), SlotSet("callback_consent", value),
              SlotSet("requested_slot", None), ActiveLoop(None),
              ActionExecuted("action_submit_callback"),
              BotUttered(f"Thank you, Sam Jones. Reference {reference}" if reference
                         else "No problem")]
    if reference:
        events.append(SlotSet("callback_reference", reference))
    return events + [SlotSet(s, None) for s in ("callback_name", "callback_contact")] + [
        ActionExecuted("action_listen")]


def dicts(events: List[Any]) -> List[Dict[str, Any]]:
    return [json.loads(json.dumps(event.as_dict())) for event in events]


def apply(events: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    plan = erasure_plan(events, PLACEHOLDER)
    return [plan.get(index, event) for index, event in enumerate(events)]


def occurrences(events: List[Dict[str, Any]], *values: str) -> int:
    text = json.dumps(events)
    return sum(text.count(value) for value in values)


def test_refused_consent_rewrites_every_answer_slot_and_the_consent_question():
    events = dicts(form_until_consent() + consent_answer(False, None))
    assert occurrences(events, *DETAILS, "555 12") > 10
    erased = apply(events)
    assert occurrences(erased, *DETAILS, "555 12") == 0
    answers = [e for e in erased if e["event"] == "user" and is_erased_message(e)]
    assert len(answers) == 6  # five answers (one rejected) and the "no"
    assert all(e["text"] == PLACEHOLDER and e["parse_data"]["entities"] == [] for e in answers)
    assert answers[0]["parse_data"]["intent"]["name"] == "inform"  # the conversation replays
    assert [e["text"] for e in erased if e["event"] == "user"][0] == "/request_callback"
    assert any(e["event"] == "bot" and e["text"] == "What about?" for e in erased)


def test_a_stored_request_keeps_its_answers():
    events = dicts(form_until_consent() + consent_answer(True, "CB-7K3QX"))
    assert [span.saved for span in form_spans(events)] == [True]
    assert erasure_plan(events, PLACEHOLDER) == {}


def test_consent_given_but_not_stored_is_erased():
    """A yes whose request could not be stored (database down): nothing is kept either."""
    events = dicts(form_until_consent() + consent_answer(True, None))
    assert occurrences(apply(events), *DETAILS) == 0


def test_cancel_is_erased():
    events = dicts(form_until_consent()[:12] + [
        user("never mind", "cancel"), ActionExecuted("action_cancel_callback"),
        BotUttered("OK, I've stopped"), ActiveLoop(None), SlotSet("callback_name", None)])
    assert occurrences(apply(events), "Sam Jones") == 0


def test_a_red_flag_message_is_kept_but_the_answers_before_it_are_erased():
    red_flag = "my legs went numb and I can't control my bladder"
    events = dicts(form_until_consent()[:12] + [
        user(red_flag, "red_flag_symptoms"), ActionExecuted("action_emergency_advice"),
        BotUttered("Go to the emergency department"), ActiveLoop(None),
        SlotSet("callback_name", None), ActionExecuted("action_listen")])
    erased = apply(events)
    assert occurrences(erased, "Sam Jones") == 0
    assert erased[12] == events[12] and erased[12]["text"] == red_flag


def test_restart_and_a_new_session_end_an_abandoned_form():
    for ending in (Restarted(), SessionStarted()):
        events = dicts(form_until_consent()[:24] + [ending, ActionExecuted("action_listen")])
        assert occurrences(apply(events), "Sam Jones", "sam.jones@example.com") == 0


def test_a_form_still_running_is_left_alone_and_planning_is_idempotent():
    running = dicts(form_until_consent())
    assert form_spans(running) == [] and erasure_plan(running, PLACEHOLDER) == {}
    once = apply(dicts(form_until_consent() + consent_answer(False, None)))
    assert erasure_plan(once, PLACEHOLDER) == {}


def test_two_forms_one_refused_one_stored():
    refused = form_until_consent() + consent_answer(False, None)
    stored = form_until_consent() + consent_answer(True, "CB-7K3QX")
    erased = apply(dicts(refused + stored))
    half = len(refused)
    assert occurrences(erased[:half], *DETAILS) == 0
    assert occurrences(erased[half:], "Sam Jones") > 0


def test_cheap_test_on_event_objects():
    assert may_need_erasure(form_until_consent())
    assert not may_need_erasure([user("what is a herniated disc"), ActionExecuted("x")])
