"""Counts over the patients' messages: totals, per day, intents, red flags, handoffs."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Dict, List, Sequence, Set, Tuple

from clinic_assistant.reporting.intents import (
    FALLBACK, HANDOFF_INTENTS, NONE_OF_THESE, OUT_OF_SCOPE, RED_FLAG, UNANSWERED_KINDS,
)
from clinic_assistant.reporting.topics import FORM_ANSWER, NO_INTENT
from clinic_assistant.reporting.tracker_events import UserMessage

Conversation = Tuple[str, int]


@dataclass(frozen=True)
class Totals:
    """Figures for the whole period."""

    conversations: int
    patients: int
    user_messages: int
    fallback: int
    clarification_misses: int
    out_of_scope: int
    red_flags: int
    handoffs: int
    #: Messages sent while the call-back form was open (counted, never shown).
    form_answers: int = 0

    @property
    def unanswered(self) -> int:
        """Messages that went to fallback, clarification misses and out-of-scope messages."""
        return self.fallback + self.clarification_misses + self.out_of_scope


@dataclass(frozen=True)
class DayRow:
    """Figures for one day (in the report's time zone)."""

    day: date
    conversations: int
    user_messages: int
    unanswered: int
    red_flags: int
    handoffs: int


@dataclass(frozen=True)
class HandoffRow:
    """How often patients asked for a person in one way (an intent)."""

    intent: str
    messages: int
    conversations: int


def local_day(timestamp: float, tz: tzinfo) -> date:
    """The calendar day of an epoch timestamp in time zone `tz`."""
    return datetime.fromtimestamp(timestamp, tz).date()


def count_intent(messages: Sequence[UserMessage], *intents: str) -> int:
    """How many messages have one of `intents`."""
    return sum(1 for m in messages if m.intent in intents)


def raised_red_flag(message: UserMessage) -> bool:
    """A red flag: read as one, or answered by the emergency advice (a "yes" to the signs)."""
    return message.intent == RED_FLAG or message.emergency_advised


def count_red_flags(messages: Sequence[UserMessage]) -> int:
    """How many messages raised a red flag."""
    return sum(1 for m in messages if raised_red_flag(m))


def totals(messages: Sequence[UserMessage]) -> Totals:
    """Totals; a conversation is a session of one sender with at least one message."""
    return Totals(
        conversations=len({m.conversation for m in messages}),
        patients=len({m.sender_id for m in messages}),
        user_messages=len(messages),
        fallback=count_intent(messages, FALLBACK),
        clarification_misses=count_intent(messages, NONE_OF_THESE),
        out_of_scope=count_intent(messages, OUT_OF_SCOPE),
        red_flags=count_red_flags(messages),
        handoffs=count_intent(messages, *HANDOFF_INTENTS),
        form_answers=count_intent(messages, FORM_ANSWER),
    )


def per_day(messages: Sequence[UserMessage], tz: tzinfo) -> List[DayRow]:
    """One row per day from the first to the last message (days without any included).

    A conversation counts on the day of its first message.
    """
    if not messages:
        return []
    by_day: Dict[date, List[UserMessage]] = {}
    started: Dict[date, Set[Conversation]] = {}
    seen: Set[Conversation] = set()
    for message in sorted(messages, key=lambda m: (m.timestamp, m.event_id)):
        day = local_day(message.timestamp, tz)
        by_day.setdefault(day, []).append(message)
        if message.conversation not in seen:
            seen.add(message.conversation)
            started.setdefault(day, set()).add(message.conversation)
    first, last = min(by_day), max(by_day)
    rows = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        day_messages = by_day.get(day, [])
        rows.append(DayRow(
            day=day,
            conversations=len(started.get(day, ())),
            user_messages=len(day_messages),
            unanswered=count_intent(day_messages, *UNANSWERED_KINDS),
            red_flags=count_red_flags(day_messages),
            handoffs=count_intent(day_messages, *HANDOFF_INTENTS),
        ))
    return rows


def intent_counts(messages: Sequence[UserMessage]) -> List[Tuple[str, int]]:
    """(intent, messages) pairs, most frequent first, then by name."""
    counts = Counter(m.intent or NO_INTENT for m in messages)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def red_flags(messages: Sequence[UserMessage]) -> List[UserMessage]:
    """The messages that raised a red flag, in time order."""
    return sorted((m for m in messages if raised_red_flag(m)), key=lambda m: m.timestamp)


def handoffs(messages: Sequence[UserMessage]) -> List[HandoffRow]:
    """Requests for a person, per intent (every handoff intent, even when zero)."""
    return [
        HandoffRow(
            intent=intent,
            messages=count_intent(messages, intent),
            conversations=len({m.conversation for m in messages if m.intent == intent}),
        )
        for intent in HANDOFF_INTENTS
    ]
