"""Everything the report shows, computed once from the messages with personal details removed."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, tzinfo
from typing import List, Optional, Sequence, Tuple

from clinic_assistant.reporting import statistics
from clinic_assistant.reporting.grouping import Encode
from clinic_assistant.reporting.privacy import redact
from clinic_assistant.reporting.ratings import TopicRating, topic_ratings
from clinic_assistant.reporting.statistics import DayRow, HandoffRow, Totals
from clinic_assistant.reporting.tracker_events import UserMessage
from clinic_assistant.reporting.unanswered import (
    QuestionGroup, group_questions, unanswered_questions,
)


@dataclass(frozen=True)
class RedFlag:
    """A message that raised a red flag."""

    time: datetime
    conversation: str
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


def redacted(message: UserMessage) -> UserMessage:
    """The message with phone numbers and emails removed from its text."""
    return replace(message, text=redact(message.text))


def build_report(
    messages: Sequence[UserMessage], *, encode: Encode, tz: tzinfo, generated_at: datetime,
    scope: str = "all stored conversations",
) -> Report:
    """Compute the report; every text in it has phone numbers and emails removed.

    Sender ids stay whole for counting (two senders must not merge) and are redacted where
    shown.
    """
    clean = [redacted(m) for m in messages]
    days = statistics.per_day(clean, tz)
    return Report(
        generated_at=generated_at,
        scope=scope,
        first_day=days[0].day if days else None,
        last_day=days[-1].day if days else None,
        totals=statistics.totals(clean),
        days=days,
        intents=statistics.intent_counts(clean),
        unanswered=group_questions(unanswered_questions(clean), encode),
        red_flags=[
            RedFlag(time=datetime.fromtimestamp(m.timestamp, tz),
                    conversation=redact(m.sender_id), text=" ".join(m.text.split()))
            for m in statistics.red_flags(clean)
        ],
        handoffs=statistics.handoffs(clean),
        ratings=topic_ratings(clean),
    )
