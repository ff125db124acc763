"""Everything the report shows, computed once from the messages with personal details removed."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, tzinfo
from typing import Dict, List, Optional, Sequence, Tuple

from clinic_assistant.reporting import statistics
from clinic_assistant.reporting.grouping import Encode
from clinic_assistant.reporting.intents import RED_FLAG
from clinic_assistant.reporting.privacy import redact
from clinic_assistant.reporting.ratings import NO_TOPIC, TopicRating, topic_ratings
from clinic_assistant.reporting.references import Conversation, References, reference_key
from clinic_assistant.reporting.statistics import DayRow, HandoffRow, Totals
from clinic_assistant.reporting.texts import shorten
from clinic_assistant.reporting.topics import FORM_ANSWER, TopicNames, load_topic_names
from clinic_assistant.reporting.tracker_events import UserMessage
from clinic_assistant.reporting.unanswered import (
    QuestionGroup, group_questions, unanswered_questions,
)


@dataclass(frozen=True)
class RedFlag:
    """A message that raised a red flag."""

    time: datetime
    #: The handoff number or short reference (never the conversation id).
    conversation: str
    #: The message, shortened; a note instead if it was typed into a form.
    text: str


@dataclass(frozen=True)
class Report:
    """The figures and (redacted) texts that the HTML, Markdown and YAML files show."""

    generated_at: datetime
    scope: str
    first_day: Optional[date]
    last_day: Optional[date]
    totals: Totals
    days: List[DayRow]
    intents: List[Tuple[str, int]]
    unanswered: List[QuestionGroup]
    red_flags: List[RedFlag]
    handoffs: List[HandoffRow]
    ratings: List[TopicRating]
    #: Readable names of intents (the renderers' column headers use them too).
    names: TopicNames = TopicNames({})


def redacted(message: UserMessage) -> UserMessage:
    """The message with phone numbers and emails removed from its text.

    A message sent while a form was open loses its text (it answers a question such as name
    or phone); unless it raised a red flag it becomes a `form_answer`.
    """
    if message.in_form:
        intent = message.intent if message.intent == RED_FLAG else FORM_ANSWER
        return replace(message, text="", intent=intent, entities=())
    return replace(message, text=redact(message.text))


def conversation_spans(messages: Sequence[UserMessage]) -> Dict[Conversation, Tuple[float, float]]:
    """The times of the first and last message of each conversation."""
    spans: Dict[Conversation, Tuple[float, float]] = {}
    for message in messages:
        first, last = spans.get(message.conversation, (message.timestamp, message.timestamp))
        spans[message.conversation] = (min(first, message.timestamp),
                                       max(last, message.timestamp))
    return spans


def _red_flag_text(message: UserMessage, names: TopicNames) -> str:
    text = shorten(message.text)
    return text if message.intent == RED_FLAG else f"{text} {names.reply_to_signs}"


def _red_flag(message: UserMessage, tz: tzinfo, names: TopicNames,
              references: References) -> RedFlag:
    return RedFlag(
        time=datetime.fromtimestamp(message.timestamp, tz),
        conversation=references(message.conversation),
        text=names.form_text_hidden if message.in_form else _red_flag_text(message, names),
    )


def build_report(
    messages: Sequence[UserMessage], *, encode: Encode, tz: tzinfo, generated_at: datetime,
    scope: str = "all stored conversations", names: Optional[TopicNames] = None,
    references: Optional[References] = None,
) -> Report:
    """Compute the report; every text in it has phone numbers and emails removed.

    Intents are shown by their readable names (`names`, default: from the content folder),
    conversations by `references` (default: short keyed hashes with REPORT_REFERENCE_KEY).
    Sender ids stay whole for counting (two senders must not merge) and are never shown.
    """
    names = names or load_topic_names()
    clean = [redacted(m) for m in messages]
    if references is None:
        references = References(key=reference_key())
    references = replace(references, spans=conversation_spans(clean))
    days = statistics.per_day(clean, tz)
    return Report(
        generated_at=generated_at,
        scope=scope,
        first_day=days[0].day if days else None,
        last_day=days[-1].day if days else None,
        totals=statistics.totals(clean),
        days=days,
        intents=[(names(intent), n) for intent, n in statistics.intent_counts(clean)],
        unanswered=group_questions(unanswered_questions(clean), encode),
        red_flags=[_red_flag(m, tz, names, references) for m in statistics.red_flags(clean)],
        handoffs=[replace(h, intent=names(h.intent)) for h in statistics.handoffs(clean)],
        ratings=[replace(r, topic=r.topic if r.topic == NO_TOPIC else names(r.topic))
                 for r in topic_ratings(clean)],
        names=names,
    )
