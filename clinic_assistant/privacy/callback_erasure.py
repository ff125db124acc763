"""Which stored events of a conversation to rewrite when a call-back form ends without consent.

The call-back form (actions/callback.py) takes a name, a phone number or email address, a
preferred time and a reason. Rasa stores each answer twice in the conversation: as the user
message and as the slot the form filled; the consent question repeats the contact. When the form
ends and no call-back was saved (consent refused, the form cancelled, a red flag interrupting it,
a `/restart`, or a new session after the patient left), those events are rewritten with a
neutral placeholder. A call-back was saved exactly when `action_submit_callback` set the
`callback_reference` slot right after the form ended.

This module only plans the rewrite, on events as Rasa serialises them (`Event.as_dict()`, the
`data` column of the `events` table): it maps the index of each event to change to its new
version. Messages that report a red flag (the turn in which emergency advice was given) are
kept: they are the record of an emergency, not an answer to the form. Planning is idempotent:
events already rewritten are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence, Set

FORM = "callback_form"
NAME, CONTACT, TIME, REASON, CONSENT = (
    "callback_name", "callback_contact", "callback_time", "callback_reason", "callback_consent")
DETAIL_SLOTS = (NAME, CONTACT, TIME, REASON)
FORM_SLOTS = (*DETAIL_SLOTS, CONSENT)
#: Set by action_submit_callback to the request's reference once it is stored.
REFERENCE_SLOT = "callback_reference"
EMERGENCY_ACTION = "action_emergency_advice"
#: Metadata key marking a rewritten user message (the reporting skips these).
ERASED_KEY = "erased"
ERASED_REASON = "callback_without_consent"

Event = Mapping[str, Any]


@dataclass(frozen=True)
class FormSpan:
    """Events `start` (the form's activation) up to `end` (exclusive: what ended it)."""

    start: int
    end: int
    saved: bool


def _kind(event: Event) -> str:
    return str(event.get("event") or "")


def _ends_form(event: Event) -> bool:
    kind = _kind(event)
    return (kind in ("restart", "session_started")
            or (kind == "active_loop" and event.get("name") != FORM))


def _saved_after(events: Sequence[Event], end: int) -> bool:
    """Whether a call-back reference was set after `end`, before the patient's next message."""
    for event in events[end:]:
        if _kind(event) == "user":
            return False
        if _kind(event) == "slot" and event.get("name") == REFERENCE_SLOT and event.get("value"):
            return True
    return False


def form_spans(events: Sequence[Event]) -> List[FormSpan]:
    """Every call-back form that ended, in order; a form still running has no span."""
    spans: List[FormSpan] = []
    start: Optional[int] = None
    for index, event in enumerate(events):
        if start is None:
            if _kind(event) == "active_loop" and event.get("name") == FORM:
                start = index
        elif _ends_form(event):
            spans.append(FormSpan(start, index, _saved_after(events, index)))
            start = None
    return spans


def _turn_end(events: Sequence[Event], user_index: int) -> int:
    for index in range(user_index + 1, len(events)):
        if _kind(events[index]) == "user":
            return index
    return len(events)


def _reports_red_flag(events: Sequence[Event], user_index: int) -> bool:
    return any(_kind(e) == "action" and e.get("name") == EMERGENCY_ACTION
               for e in events[user_index + 1:_turn_end(events, user_index)])


def is_erased_message(event: Event) -> bool:
    """Whether a user message event is one this module rewrote."""
    metadata = event.get("metadata")
    return isinstance(metadata, Mapping) and metadata.get(ERASED_KEY) == ERASED_REASON


def erased_user_event(event: Event, placeholder: str) -> Dict[str, Any]:
    """The user message with its text, entities and anything else the patient sent replaced.

    The predicted intent's name stays (it is the classifier's label, not the patient's words),
    so that the conversation replays as before.
    """
    parse_data = event.get("parse_data") or {}
    intent = parse_data.get("intent") or {}
    return {
        "event": "user",
        "timestamp": event.get("timestamp"),
        "metadata": {ERASED_KEY: ERASED_REASON},
        "text": placeholder,
        "parse_data": {
            "intent": {"name": intent.get("name"), "confidence": intent.get("confidence")},
            "entities": [],
            "text": placeholder,
            "message_id": event.get("message_id"),
            "metadata": {},
            "intent_ranking": [],
        },
        "input_channel": event.get("input_channel"),
        "message_id": event.get("message_id"),
    }


def _erased_bot_event(event: Event, placeholder: str) -> Dict[str, Any]:
    return {"event": "bot", "timestamp": event.get("timestamp"), "metadata": {},
            "text": placeholder, "data": {}}


def _mentions(event: Event, values: Set[str]) -> bool:
    text = str(event.get("text") or "") + " " + repr(event.get("data") or "")
    return any(value in text for value in values)


def _plan_span(events: Sequence[Event], span: FormSpan, placeholder: str,
               plan: Dict[int, Dict[str, Any]]) -> None:
    values: Set[str] = set()
    for index in range(span.start, span.end):
        event = events[index]
        kind = _kind(event)
        if kind == "slot" and event.get("name") in DETAIL_SLOTS:
            value = event.get("value")
            if value is not None and value != placeholder:
                values.add(str(value).strip())
                plan[index] = {**event, "value": placeholder}
        elif kind == "user" and not is_erased_message(event):
            if _reports_red_flag(events, index):
                continue
            plan[index] = erased_user_event(event, placeholder)
    values = {value for value in values if value}
    if not values:
        return
    # The bot repeats slot values (the consent question names the contact), never other text.
    for index in range(span.start, _turn_end(events, span.end - 1)):
        event = events[index]
        if _kind(event) == "bot" and event.get("text") != placeholder and _mentions(event, values):
            plan[index] = _erased_bot_event(event, placeholder)


def erasure_plan(events: Sequence[Event], placeholder: str) -> Dict[int, Dict[str, Any]]:
    """Index -> rewritten event, for every call-back form that ended without a saved request."""
    plan: Dict[int, Dict[str, Any]] = {}
    for span in form_spans(events):
        if not span.saved:
            _plan_span(events, span, placeholder, plan)
    return plan


def may_need_erasure(events: Sequence[Any]) -> bool:
    """Cheap first test on Rasa `Event` objects: did this conversation ever open the form?"""
    return any(getattr(event, "type_name", None) == "active_loop"
               and getattr(event, "name", None) == FORM for event in events)
