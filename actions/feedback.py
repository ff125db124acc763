"""A patient's rating of an answer: thank them, or say sorry and offer another way on."""

from __future__ import annotations

import logging
from typing import List, Text

from typing_extensions import override
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.faq import LAST_TOPIC_SLOT
from clinic_assistant.content import get_content
from clinic_assistant.feedback import UNHELPFUL, read_feedback

logger = logging.getLogger(__name__)

#: Offered when an answer did not help (rephrasing needs no button: the patient just types).
AFTER_UNHELPFUL_BUTTONS = ("request_human",)


class ActionRecordFeedback(Action):
    """Reply to a rating; the rating itself stays in the conversation as the user event."""

    @override
    def name(self) -> Text:
        return "action_record_feedback"

    @override
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        content = get_content()
        feedback = read_feedback(tracker.latest_message or {}, tracker.get_slot(LAST_TOPIC_SLOT))
        logger.debug("Answer to %s rated %s", feedback.topic, feedback.rating)
        if feedback.rating == UNHELPFUL:
            dispatcher.utter_message(
                text=content.message("feedback_sorry"),
                buttons=content.buttons(AFTER_UNHELPFUL_BUTTONS),
            )
        else:
            dispatcher.utter_message(text=content.message("feedback_thanks"))
        return []
