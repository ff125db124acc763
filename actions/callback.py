"""The call-back form: name, phone or email, preferred time, reason, then explicit consent.

Nothing is stored until the patient agrees. A red flag interrupts the form (rule in
data/rules/handoff.yml); the patient can cancel at any time. When the form ends without a
stored request, the project's tracker store rewrites the answers in the conversation
(clinic_assistant/privacy/callback_erasure.py); a stored request is marked by the
`callback_reference` slot.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from typing_extensions import override
from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from clinic_assistant.content import Content, get_content
from clinic_assistant.handoff.contact import (
    MAX_REASON,
    MAX_TIME,
    Checked,
    check_contact,
    check_free_text,
    check_name,
)
from clinic_assistant.handoff.notify import notify_staff
from clinic_assistant.handoff.reasons import REASON_SLOT
from clinic_assistant.handoff.service import get_rules, get_store
from clinic_assistant.privacy.callback_erasure import (
    CONSENT,
    CONTACT,
    FORM_SLOTS,
    NAME,
    REASON,
    REFERENCE_SLOT,
    TIME,
)

from actions.possible_emergency import RED_FLAG_INTENT, RED_FLAG_RULE_KEY

logger = logging.getLogger(__name__)

#: Classifier confidence above which a message interrupts the form as a red flag or a cancel.
#: Below it, only a red-flag pattern rule interrupts: answers such as "weekday mornings" must
#: not be taken for emergencies. The pattern rules have no such threshold.
INTERRUPT_CONFIDENCE = 0.7
INTERRUPTING_INTENTS = (RED_FLAG_INTENT, "cancel")
#: The message that asks for each slot.
QUESTIONS = {NAME: "callback_ask_name", CONTACT: "callback_ask_contact",
             TIME: "callback_ask_time", REASON: "callback_ask_reason"}


def _accept(slot: str, checked: Checked, dispatcher: CollectingDispatcher,
            content: Content) -> Dict[Text, Any]:
    """Fill the slot, or explain what is wrong so the form asks again."""
    if checked.problem:
        dispatcher.utter_message(text=content.message(checked.problem))
        return {slot: None}
    return {slot: checked.value}


def interrupts_form(message: Dict[str, Any]) -> bool:
    """Whether the patient's latest message stops the form (red flag or cancel)."""
    if message.get(RED_FLAG_RULE_KEY):
        return True
    intent = message.get("intent") or {}
    return (intent.get("name") in INTERRUPTING_INTENTS
            and float(intent.get("confidence") or 0.0) >= INTERRUPT_CONFIDENCE)


def extract_answer(tracker: Tracker, slot: str) -> Dict[Text, Any]:
    """The latest message as the answer to `slot`, if that is what the form asked for.

    Nothing is extracted when the message interrupts the form: the form then rejects it and
    the rules answer (emergency advice, or stopping the form).
    """
    message = tracker.latest_message or {}
    if tracker.get_slot("requested_slot") != slot or interrupts_form(message):
        return {}
    text = message.get("text") or ""
    if text.startswith("/"):
        return {}  # a button of another question
    return {slot: text}


def clear_form() -> List[EventType]:
    """Forget what the patient typed into the form."""
    return [SlotSet(slot, None) for slot in FORM_SLOTS]


class ValidateCallbackForm(FormValidationAction):
    """Check each answer as it comes, with a re-prompt that says what to fix."""

    @override
    def name(self) -> Text:
        return "validate_callback_form"

    async def extract_callback_name(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> Dict[Text, Any]:
        """The patient's answer to the name question, as typed."""
        return extract_answer(tracker, NAME)

    async def extract_callback_contact(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                       domain: DomainDict) -> Dict[Text, Any]:
        """The patient's answer to the e-mail-or-phone question, as typed."""
        return extract_answer(tracker, CONTACT)

    async def extract_callback_time(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> Dict[Text, Any]:
        """The patient's answer to the best-time question, as typed."""
        return extract_answer(tracker, TIME)

    async def extract_callback_reason(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                      domain: DomainDict) -> Dict[Text, Any]:
        """The patient's answer to the reason question, as typed."""
        return extract_answer(tracker, REASON)

    async def validate_callback_name(self, value: Any, dispatcher: CollectingDispatcher,
                                     tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        """A name of at most six words and no question; else ask again saying why."""
        checked = check_name(str(value or ""))
        if checked.value and ("?" in checked.value or len(checked.value.split()) > 6):
            checked = Checked(problem="callback_name_invalid")
        return _accept(NAME, checked, dispatcher, get_content())

    async def validate_callback_contact(self, value: Any, dispatcher: CollectingDispatcher,
                                        tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        """An e-mail address or a phone number; else ask again saying which is wrong."""
        return _accept(CONTACT, check_contact(str(value or "")), dispatcher, get_content())

    async def validate_callback_time(self, value: Any, dispatcher: CollectingDispatcher,
                                     tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        """A best time of reasonable length; else ask again."""
        checked = check_free_text(str(value or ""), MAX_TIME, "callback_time_invalid")
        return _accept(TIME, checked, dispatcher, get_content())

    async def validate_callback_reason(self, value: Any, dispatcher: CollectingDispatcher,
                                       tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        """A reason of reasonable length; else ask again."""
        checked = check_free_text(str(value or ""), MAX_REASON, "callback_reason_invalid")
        return _accept(REASON, checked, dispatcher, get_content())


class AskForCallbackSlot(Action):
    """Ask for one of the form's free-text slots, with a Cancel button."""

    slot = NAME

    @override
    def name(self) -> Text:
        return f"action_ask_{self.slot}"

    @override
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        content = get_content()
        dispatcher.utter_message(text=content.message(QUESTIONS[self.slot]),
                                 buttons=content.buttons(["cancel"]))
        return []


class AskForCallbackContact(AskForCallbackSlot):
    """Ask for an e-mail address or a phone number."""
    slot = CONTACT


class AskForCallbackTime(AskForCallbackSlot):
    """Ask when the clinic may call."""
    slot = TIME


class AskForCallbackReason(AskForCallbackSlot):
    """Ask what the call is about."""
    slot = REASON


class AskForCallbackConsent(Action):
    """Say exactly what will be stored, why and for how long, and ask for a yes or no."""

    @override
    def name(self) -> Text:
        return "action_ask_callback_consent"

    @override
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        content = get_content()
        days = str(get_rules().callback_retention_days)
        dispatcher.utter_message(
            text=content.message("callback_ask_consent", contact=str(tracker.get_slot(CONTACT)),
                                 days=days),
            buttons=[{"title": content.message("callback_consent_yes"), "payload": "/affirm"},
                     {"title": content.message("callback_consent_no"), "payload": "/deny"}])
        return []


class ActionSubmitCallback(Action):
    """Store the request if the patient agreed and confirm with a reference; else store nothing."""

    @override
    def name(self) -> Text:
        return "action_submit_callback"

    @override
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        content = get_content()
        if tracker.get_slot(CONSENT) is not True:
            dispatcher.utter_message(text=content.message("callback_not_saved"))
            return clear_form()
        name, time = str(tracker.get_slot(NAME)), str(tracker.get_slot(TIME))
        try:
            handoff = get_store().save_callback(
                tracker.sender_id, tracker.get_slot(REASON_SLOT) or "requested",
                name=name, contact=str(tracker.get_slot(CONTACT)), preferred_time=time,
                reason_text=str(tracker.get_slot(REASON)))
        except SQLAlchemyError as error:
            # The type only: SQLAlchemy's message would quote the patient's details.
            logger.error("Could not store a call-back request (%s).", type(error).__name__)
            dispatcher.utter_message(text=content.message("callback_failed"))
            return clear_form()
        await notify_staff(handoff)
        assert handoff.callback is not None
        dispatcher.utter_message(text=content.message(
            "callback_saved", name=name, reference=handoff.callback.reference,
            preferred_time=time))
        # Marks the request as stored: the tracker store then keeps the form's answers.
        return [SlotSet(REFERENCE_SLOT, handoff.callback.reference), *clear_form()]


class ActionCancelCallback(Action):
    """The patient stopped the form: nothing is stored."""

    @override
    def name(self) -> Text:
        return "action_cancel_callback"

    @override
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(text=get_content().message("callback_cancelled"))
        return [ActiveLoop(None), SlotSet("requested_slot", None), *clear_form()]

