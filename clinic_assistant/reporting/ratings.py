"""How patients rated the answers (the widget's helpful / unhelpful buttons), per topic."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Sequence, Tuple

from clinic_assistant.reporting.intents import FEEDBACK, RATING_ENTITY, RATINGS, TOPIC_ENTITY
from clinic_assistant.reporting.texts import shorten
from clinic_assistant.reporting.tracker_events import UserMessage

NO_TOPIC = "(no topic)"
#: Questions shown per topic that were asked before an answer rated unhelpful.
QUESTIONS_SHOWN = 3


@dataclass(frozen=True)
class TopicRating:
    """Ratings of one topic's answer, and questions whose answer was rated unhelpful."""

    topic: str
    helpful: int
    unhelpful: int
    questions: Tuple[str, ...] = ()


def topic_ratings(messages: Sequence[UserMessage]) -> List[TopicRating]:
    """Helpful and unhelpful counts per topic, most unhelpful first.

    A rating is a `feedback` message with a `rating` entity (helpful or unhelpful) and
    optionally a `topic` entity (the FAQ intent whose answer was rated).
    """
    counts: Dict[str, Dict[str, int]] = {}
    questions: Dict[str, List[str]] = {}
    last_typed: Dict[Tuple[str, int], str] = {}
    for message in sorted(messages, key=lambda m: (m.timestamp, m.event_id)):
        rating = (message.entity(RATING_ENTITY) or "").strip().lower()
        if message.intent == FEEDBACK and rating in RATINGS:
            topic = message.entity(TOPIC_ENTITY) or NO_TOPIC
            topic_counts = counts.setdefault(topic, {r: 0 for r in RATINGS})
            topic_counts[rating] += 1
            asked = last_typed.get(message.conversation)
            shown = questions.setdefault(topic, [])
            if rating == "unhelpful" and asked and asked not in shown:
                shown.append(asked)
        elif message.is_typed:
            last_typed[message.conversation] = shorten(message.text)
    rows = [
        TopicRating(topic, c["helpful"], c["unhelpful"], tuple(questions[topic][:QUESTIONS_SHOWN]))
        for topic, c in counts.items()
    ]
    return sorted(rows, key=lambda r: (-r.unhelpful, -r.helpful, r.topic))
