"""Answer every FAQ intent from the curated content file, with sources and follow-ups."""

from __future__ import annotations

from typing import Dict, List, Text
from urllib.parse import quote

from typing_extensions import override
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from clinic_assistant.content import Answer, Content, get_content
from clinic_assistant.conversation import latest_intent, latest_text, spine_levels
from clinic_assistant.feedback import RATINGS, feedback_payload
from clinic_assistant.handoff.buttons import person_buttons
from clinic_assistant.text_signals import is_personal_question

LAST_TOPIC_SLOT = "last_faq_topic"
CONSULTATION_BUTTONS = ("book_consultation", "request_human")
#: Parse-result key of the further questions a message asks (set by the sentence classifier).
OTHER_QUESTIONS_KEY = "other_questions"
#: At most this many further questions are offered after an answer.
MAX_OTHER_QUESTIONS = 2


#: Characters left as they are in a link; everything else (brackets, quotes, spaces, non-ASCII)
#: is percent-encoded, and existing %XX escapes are kept.
URL_SAFE = ":/?#[]@!$&*+,;=%~-._"


def link_safe(url: str) -> str:
    """The URL percent-encoded (the same address), so that a chat client never cuts it at a
    bracket or a quote, and no character of it can break out of a link."""
    return quote(url, safe=URL_SAFE)


def publishers(answer: Answer) -> List[str]:
    """The short names of the answer's publishers, each once, in the order of its sources."""
    return list(dict.fromkeys(source.publisher for source in answer.sources))


def sources_line(content: Content, answer: Answer) -> str:
    """The short 'Sources: NHS, FDA. Last reviewed ...' line shown under an answer."""
    date = f"{answer.reviewed_on.day} {answer.reviewed_on:%B %Y}"
    return content.message("sources_line", sources=", ".join(publishers(answer)), date=date)


def source_list(answer: Answer) -> List[Dict[str, str]]:
    """The full sources (title, link, publisher), sent with the short line for the widget's
    "Show sources" list; built from the content, never from the answer's text."""
    return [{"title": s.label, "url": link_safe(s.url), "publisher": s.publisher}
            for s in answer.sources]


def follow_up_buttons(content: Content, answer: Answer) -> List[Dict[str, str]]:
    """Quick replies under an answer: 'tell me more' (if there is more) and follow-up topics."""
    intents = (("tell_me_more",) if answer.more else ()) + answer.follow_ups
    return content.buttons(intents)


def feedback_buttons(content: Content, intent: str) -> List[Dict[str, str]]:
    """The 'Helpful' / 'Not helpful' buttons that rate the answer to `intent`."""
    return [
        {"title": content.feedback_titles[rating], "payload": feedback_payload(rating, intent)}
        for rating in RATINGS
    ]


def other_questions(content: Content, tracker: Tracker, answered: str) -> List[str]:
    """FAQ topics the latest message also asked about, besides the one answered."""
    found = (tracker.latest_message or {}).get(OTHER_QUESTIONS_KEY) or []
    names = [str(q.get("name")) for q in found if isinstance(q, dict)]
    topics = [n for n in dict.fromkeys(names) if n in content.answers and n != answered]
    return topics[:MAX_OTHER_QUESTIONS]


def offer_consultation(dispatcher: CollectingDispatcher, content: Content) -> None:
    """Say that the team can look at the patient's own case, with buttons to reach them."""
    dispatcher.utter_message(
        text=content.message("consultation_offer"),
        buttons=person_buttons(content, CONSULTATION_BUTTONS, "personal_question"),
    )


class ActionAnswerFaq(Action):
    """Answer the latest FAQ intent with its curated text, sources and follow-up buttons."""

    @override
    def name(self) -> Text:
        return "action_answer_faq"

    @override
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        content = get_content()
        intent = latest_intent(tracker) or ""
        answer = content.answers.get(intent)
        if answer is None:
            dispatcher.utter_message(
                text=content.message("no_answer_yet"),
                buttons=content.buttons(CONSULTATION_BUTTONS),
            )
            return []

        personal = is_personal_question(latest_text(tracker))
        if personal:
            levels = spine_levels(tracker)
            key = "personal_preface_level" if levels else "personal_preface"
            dispatcher.utter_message(
                text=content.message(key, spine_level=" and ".join(levels))
            )
        dispatcher.utter_message(text=content.render(answer.answer))
        dispatcher.utter_message(
            text=sources_line(content, answer),
            buttons=follow_up_buttons(content, answer) + feedback_buttons(content, intent),
            sources=source_list(answer),
        )
        also = other_questions(content, tracker, intent)
        if also:
            dispatcher.utter_message(text=content.message("also_asked"),
                                     buttons=content.buttons(also))
        if personal:
            offer_consultation(dispatcher, content)
        return [SlotSet(LAST_TOPIC_SLOT, intent)]


class ActionTellMeMore(Action):
    """Give the longer part of the last FAQ answer, or say there is no more."""

    @override
    def name(self) -> Text:
        return "action_tell_me_more"

    @override
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        content = get_content()
        answer = content.answers.get(tracker.get_slot(LAST_TOPIC_SLOT) or "")
        if answer is None:
            dispatcher.utter_message(
                text=content.message("which_topic"),
                buttons=content.buttons(tuple(content.answers)[:5]),
            )
        elif not answer.more:
            dispatcher.utter_message(
                text=content.message("no_more", topic=answer.title),
                buttons=content.buttons(answer.follow_ups + CONSULTATION_BUTTONS),
            )
        else:
            dispatcher.utter_message(text=content.render(answer.more))
            dispatcher.utter_message(
                text=sources_line(content, answer),
                buttons=content.buttons(answer.follow_ups),
                sources=source_list(answer),
            )
        return []
