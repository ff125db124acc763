"""Short conversational replies (greeting, thanks, contact details ...) from the content file."""

from __future__ import annotations

from typing import List, Text

from typing_extensions import override
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from clinic_assistant.content import get_content
from clinic_assistant.conversation import latest_intent, previous_bot_texts

from actions.safety import give_emergency_advice

#: A "yes" right after the warning signs (actions/possible_emergency.py) says the patient has one.
AFFIRM = "affirm"


class ActionReply(Action):
    """Reply to a conversational intent with its entry under `replies` in messages.yml; a "yes"
    to the warning signs just shown gets the emergency advice instead."""

    @override
    def name(self) -> Text:
        return "action_reply"

    @override
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        content = get_content()
        intent = latest_intent(tracker)
        signs = content.message("possible_emergency")
        if intent == AFFIRM and signs in previous_bot_texts(tracker):
            # The advice here, not a follow-up action: no rule predicts what comes after one.
            return give_emergency_advice(dispatcher, tracker)
        reply = content.replies.get(intent or "")
        if reply is None:
            dispatcher.utter_message(text=content.message("rephrase"))
            return []
        dispatcher.utter_message(
            text=content.render(reply.text), buttons=content.buttons(reply.buttons)
        )
        return []
