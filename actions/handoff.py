"""Hand the conversation to a person: live chat with staff, or an offer of a call-back."""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from typing_extensions import override
from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from clinic_assistant.content import Content, get_content
from clinic_assistant.conversation import latest_intent
from clinic_assistant.handoff.notify import notify_staff
from clinic_assistant.handoff.reasons import REASON_SLOT, handoff_reason
from clinic_assistant.handoff.service import (
    CALLBACK_OFFER_INTENTS,
    get_rules,
    get_store,
    staff_available,
)

logger = logging.getLogger(__name__)

def handoff_status(status: str) -> Dict[str, Any]:
    """The custom payload that tells the widget the conversation is with staff (or not)."""
    return {"data": {"handoff": status}}


def offer_callback(dispatcher: CollectingDispatcher, content: Content, key: str) -> None:
    """Say why nobody can chat now and offer a call-back."""
    dispatcher.utter_message(text=content.message(key),
                             buttons=content.buttons(CALLBACK_OFFER_INTENTS))


class ActionHandoff(Action):
    """Put the patient in the staff queue and pause, or offer a call-back if nobody is free."""

    @override
    def name(self) -> Text:
        return "action_handoff"

    @override
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        content = get_content()
        reason = handoff_reason(tracker)
        # Also when a "Book a consultation" button carries another reason (personal_question).
        if reason == "consultation" or latest_intent(tracker) == "book_consultation":
            dispatcher.utter_message(text=content.message("consultation_intro"))
        try:
            store, rules = get_store(), get_rules()
            if store.open_handoff(tracker.sender_id) is not None:
                dispatcher.utter_message(text=content.message("handoff_already_waiting"))
                return [ConversationPaused()]
            if staff_available(store, rules):
                handoff = store.start_live(tracker.sender_id, reason)
                await notify_staff(handoff)
                dispatcher.utter_message(text=content.message("handoff_waiting"),
                                         json_message=handoff_status("waiting"))
                return [SlotSet(REASON_SLOT, reason), ConversationPaused()]
        except SQLAlchemyError as error:
            # The type only: SQLAlchemy's message could quote what the patient typed.
            logger.error("Handoff database unavailable (%s); offering the phone instead.",
                         type(error).__name__)
            dispatcher.utter_message(text=content.message("technical_problem"))
            return []
        offer_callback(dispatcher, content, "handoff_unavailable")
        return [SlotSet(REASON_SLOT, reason)]

