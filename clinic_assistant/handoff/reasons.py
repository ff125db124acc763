"""Why a patient is handed to a person: the slot and entity that carry it, and reading it back."""

from __future__ import annotations

from rasa_sdk import Tracker

from clinic_assistant.conversation import latest_intent
from clinic_assistant.handoff.records import REASONS

#: The slot that keeps the reason until a handoff or call-back is stored.
REASON_SLOT = "handoff_reason"
#: The entity a person button's payload carries.
REASON_ENTITY = "handoff_reason"
#: Intents that hand over to a person, and the reason each gives when no button set one.
HANDOFF_INTENTS = {"request_human": "requested", "book_consultation": "consultation"}


def handoff_reason(tracker: Tracker) -> str:
    """Why the patient is handed over: the button's reason, else the intent's default."""
    for entity in (tracker.latest_message or {}).get("entities") or []:
        if entity.get("entity") == REASON_ENTITY and entity.get("value") in REASONS:
            return str(entity["value"])
    return HANDOFF_INTENTS.get(latest_intent(tracker) or "", "requested")
