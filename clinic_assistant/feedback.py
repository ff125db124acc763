"""Patients' ratings of answers: the rating buttons' payloads, and reading a rating back.

A rating button sends `/feedback{"rating":"helpful","topic":"faq_cost"}`. Rasa turns that into
the intent `feedback` with the entities `rating` and `topic`, so the stored user event carries
both (the unanswered-questions report reads them from there). A rating typed as text ("that
didn't answer my question") has no entities: its rating is guessed from the words and its topic
is the last answer given.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Mapping, Optional

FEEDBACK_INTENT = "feedback"
RATING_ENTITY = "rating"
TOPIC_ENTITY = "topic"
HELPFUL = "helpful"
UNHELPFUL = "unhelpful"
#: The ratings, in the order their buttons are shown.
RATINGS = (HELPFUL, UNHELPFUL)

#: Words that make a typed rating negative ("not helpful", "didn't answer", "useless" ...).
_NEGATIVE = re.compile(
    r"\b(not|no|never|nothing|unhelpful|useless|pointless|rubbish|wrong|confus\w*|unclear|"
    r"vague|bad|worse|waste|irrelevant|dont|didnt|doesnt|isnt|wasnt|cant|wont|havent)\b|"
    r"\b\w{1,30}n['\u2019]t\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Feedback:
    """A patient's rating of an answer, and the FAQ intent it rates (if known)."""

    rating: str
    topic: Optional[str]


def feedback_payload(rating: str, topic: str) -> str:
    """The payload of a rating button, e.g. `/feedback{"rating":"helpful","topic":"faq_cost"}`."""
    entities = {RATING_ENTITY: rating, TOPIC_ENTITY: topic}
    return "/" + FEEDBACK_INTENT + json.dumps(entities, separators=(",", ":"))


def rating_from_text(text: str) -> str:
    """Guess the rating of typed feedback: negative wording means unhelpful."""
    return UNHELPFUL if _NEGATIVE.search(text) else HELPFUL


def _entity_value(message: Mapping[str, Any], name: str) -> Optional[str]:
    for entity in message.get("entities") or []:
        if entity.get("entity") == name and entity.get("value"):
            return str(entity["value"])
    return None


def read_feedback(message: Mapping[str, Any], last_topic: Optional[str]) -> Feedback:
    """The rating in a parsed `feedback` message, from its entities or else from its words."""
    rating = _entity_value(message, RATING_ENTITY)
    if rating not in RATINGS:
        rating = rating_from_text(str(message.get("text") or ""))
    return Feedback(rating=rating, topic=_entity_value(message, TOPIC_ENTITY) or last_topic)
