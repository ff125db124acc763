"""Emergency advice first, whenever a patient describes red-flag symptoms (and the likely
topics too when only the classifier, and not surely, reads one: possible_emergency.py)."""

from __future__ import annotations

from typing import List, Text

from typing_extensions import override
from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from clinic_assistant.content import get_content
from clinic_assistant.handoff.buttons import person_buttons
from clinic_assistant.privacy.callback_erasure import FORM_SLOTS

from actions.clarification import clarification_candidates, offer_candidates
from actions.possible_emergency import EMERGENCY_KIND, is_uncertain_red_flag

RED_FLAG_SLOT = "red_flag_raised"
AFTER_EMERGENCY_BUTTONS = ("request_human", "clinic_info")


class ActionEmergencyAdvice(Action):
    """Tell the patient to get emergency care now, then offer to contact the clinic (after the
    likely topics, when the red flag is unsure)."""

    @override
    def name(self) -> Text:
        return "action_emergency_advice"

    @override
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        return give_emergency_advice(dispatcher, tracker)


def give_emergency_advice(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """The emergency advice, the likely topics when the red flag is unsure, the offer to
    contact the clinic; the events that record it (and end an interrupted form)."""
    content = get_content()
    # `kind` lets the widget show it as an alert and scroll to its start; `tel` is the
    # number it makes a call link of.
    dispatcher.utter_message(text=content.message("emergency_advice"), kind=EMERGENCY_KIND,
                             tel=content.clinic.emergency_number)
    if is_uncertain_red_flag(tracker.latest_message or {}) and not tracker.active_loop_name:
        # Perhaps a story of bad pain with no warning sign: its likely topics too.
        offer_candidates(dispatcher, content, clarification_candidates(content, tracker),
                         "possible_emergency_topics")
    dispatcher.utter_message(
        text=content.message("emergency_follow_up"),
        buttons=person_buttons(content, AFTER_EMERGENCY_BUTTONS, "red_flag"),
    )
    events: List[EventType] = [SlotSet(RED_FLAG_SLOT, True)]
    if tracker.active_loop_name:
        events.append(ActiveLoop(None))
        # An interrupted call-back form keeps none of its answers (they are also erased
        # from the stored conversation, clinic_assistant/privacy/callback_erasure.py).
        events.extend(SlotSet(slot, None) for slot in FORM_SLOTS
                      if tracker.get_slot(slot) is not None)
    return events
