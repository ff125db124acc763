"""Start of a conversation: welcome, what the assistant covers, and the disclaimer.

A session that starts while the patient is waiting for or chatting with staff (the previous
session expired) stays paused instead: a new session would otherwise silently end the pause.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Text, cast

from typing_extensions import override
from rasa_sdk import Action, Tracker
from rasa_sdk.events import (
    ActionExecuted,
    ConversationPaused,
    EventType,
    SessionStarted,
    SlotSet,
)
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from clinic_assistant.content import get_content
from clinic_assistant.handoff.service import get_store

logger = logging.getLogger(__name__)

WELCOME_TOPICS = ("faq_herniated_disc", "faq_stem_cell_therapy", "faq_effectiveness", "faq_risks")
#: Slots that stay set when a new session starts, also with carry_over_slots_to_new_session off.
CARRIED_OVER_SLOTS = ("red_flag_raised",)


def carries_all_slots(domain: DomainDict) -> bool:
    """The domain's `carry_over_slots_to_new_session` (Rasa sends the domain with each call)."""
    # Rasa sends session_config with the domain; rasa-sdk's DomainDict does not declare it.
    session_config = cast(Dict[str, Any], domain).get("session_config") or {}
    return bool(session_config.get("carry_over_slots_to_new_session"))


def carried_slots(tracker: Tracker, domain: DomainDict) -> List[EventType]:
    """The slots the new session keeps: every set slot if the domain says so, else
    CARRIED_OVER_SLOTS."""
    names = list(tracker.slots) if carries_all_slots(domain) else CARRIED_OVER_SLOTS
    return [SlotSet(name, tracker.get_slot(name)) for name in names
            if tracker.get_slot(name) is not None]


def session_just_started(tracker: Tracker) -> bool:
    """Whether a session started in this very turn, before the latest user message.

    A widget that opens a new conversation with `/session_start` makes Rasa start the session
    twice: once for the new conversation, once for the intent. The welcome is given once.
    """
    user_messages = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            user_messages += 1
            if user_messages > 1:
                return False
        elif event.get("event") == "session_started":
            return user_messages == 1
    return False


class ActionSessionStart(Action):
    """Open each session with a welcome and the one-line disclaimer."""

    @override
    def name(self) -> Text:
        return "action_session_start"

    @override
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        with_staff = _with_staff(tracker.sender_id)
        if not session_just_started(tracker) and not with_staff:
            content = get_content()
            dispatcher.utter_message(text=content.message("welcome"))
            dispatcher.utter_message(
                text=content.message("disclaimer"), buttons=content.buttons(WELCOME_TOPICS)
            )
        events: List[EventType] = [SessionStarted(), *carried_slots(tracker, domain),
                                   ActionExecuted("action_listen")]
        return events + [ConversationPaused()] if with_staff else events


def _with_staff(sender_id: str) -> bool:
    """Whether the patient is waiting for or chatting with staff right now."""
    try:
        return get_store().open_handoff(sender_id) is not None
    except SQLAlchemyError as error:
        logger.error("Handoff database unavailable at session start (%s).", type(error).__name__)
        return False
