"""What the assistant does when it is not sure: clarify, explain its scope, offer a person."""

from __future__ import annotations

from typing import List, Text

from typing_extensions import override
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from clinic_assistant.content import Content, get_content
from clinic_assistant.conversation import consecutive_misses, intent_ranking, latest_text
from clinic_assistant.handoff.buttons import person_buttons
from clinic_assistant.text_signals import screen_reason

from actions.possible_emergency import red_flag_possible, say_possible_emergency

#: Topics offered when the assistant explains what it covers.
SCOPE_TOPICS = (
    "faq_herniated_disc",
    "faq_stem_cell_therapy",
    "faq_effectiveness",
    "faq_risks",
    "faq_cost",
)
#: Non-FAQ intents that may also be offered as "did you mean" candidates.
OTHER_CANDIDATES = frozenset({"request_human", "book_consultation", "clinic_info"})
PERSON_BUTTONS = ("request_human", "book_consultation")
#: Chosen on the real-question dev part: with 4 candidates a right topic is among the buttons
#: for 0.667 of the clarified questions, with 3 for 0.593 (docs/pipeline.md); 5 adds nothing.
MAX_CANDIDATES = 4
#: Misses in a row after which a person is offered instead of another guess.
MISSES_BEFORE_PERSON = 2


def clarification_candidates(content: Content, tracker: Tracker) -> List[str]:
    """The most likely topics for the latest message that the assistant can answer."""
    candidates = []
    for entry in intent_ranking(tracker):
        name = entry.get("name")
        if name in content.answers or name in OTHER_CANDIDATES:
            candidates.append(str(name))
        if len(candidates) == MAX_CANDIDATES:
            break
    return candidates


def offer_candidates(dispatcher: CollectingDispatcher, content: Content,
                     candidates: List[str], message_key: str = "clarify") -> None:
    """Ask "did you mean" (in the words of `message_key`) with the candidates, or to rephrase
    when there are none."""
    if not candidates:
        dispatcher.utter_message(
            text=content.message("rephrase"), buttons=content.buttons(SCOPE_TOPICS)
        )
        return
    dispatcher.utter_message(
        text=content.message(message_key),
        buttons=content.buttons(candidates + ["none_of_these"]),
    )


def offer_person(dispatcher: CollectingDispatcher, content: Content) -> None:
    """Offer to put the patient in touch with the clinic's team."""
    dispatcher.utter_message(
        text=content.message("offer_person"),
        buttons=person_buttons(content, PERSON_BUTTONS, "fallback"),
    )


#: What to say for each kind of message the assistant cannot read (see `screen_reason`).
SCREEN_MESSAGES = {"symbols": "symbols_only", "non_english": "non_english"}


def explain_language(dispatcher: CollectingDispatcher, content: Content, text: str) -> bool:
    """Say so when a message is emoji only or not in English; True if something was said."""
    key = SCREEN_MESSAGES.get(screen_reason(text) or "")
    if key is None:
        return False
    dispatcher.utter_message(text=content.message(key))
    return True


class ActionClarify(Action):
    """Ask 'did you mean ...?' after an unclear message; after a second miss in a row, offer a
    person too (with the likely topics still offered as buttons)."""

    @override
    def name(self) -> Text:
        return "action_clarify"

    @override
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        content = get_content()
        candidates = clarification_candidates(content, tracker)
        if red_flag_possible(intent_ranking(tracker)):
            say_possible_emergency(dispatcher, content)
        if consecutive_misses(tracker) >= MISSES_BEFORE_PERSON:
            # Still offer the topics it may have been about: the second question of two
            # unclear ones is often one the assistant covers.
            topics = [name for name in candidates if name in content.answers]
            if topics:
                dispatcher.utter_message(text=content.message("clarify"),
                                         buttons=content.buttons(topics))
            offer_person(dispatcher, content)
            return []
        if explain_language(dispatcher, content, latest_text(tracker)):
            return []
        offer_candidates(dispatcher, content, candidates)
        return []


class ActionOutOfScope(Action):
    """Say what the assistant covers, with topic buttons; offer a person after a second miss."""

    @override
    def name(self) -> Text:
        return "action_out_of_scope"

    @override
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        content = get_content()
        if explain_language(dispatcher, content, latest_text(tracker)):
            return []
        dispatcher.utter_message(
            text=content.message("out_of_scope"), buttons=content.buttons(SCOPE_TOPICS)
        )
        if consecutive_misses(tracker) >= MISSES_BEFORE_PERSON:
            offer_person(dispatcher, content)
        return []


class ActionDefaultFallback(Action):
    """Replace Rasa's default fallback so the assistant never goes silent."""

    @override
    def name(self) -> Text:
        return "action_default_fallback"

    @override
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        content = get_content()
        dispatcher.utter_message(
            text=content.message("rephrase"), buttons=content.buttons(SCOPE_TOPICS)
        )
        return []
