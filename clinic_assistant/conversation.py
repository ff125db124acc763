"""Read what the conversation so far says: the latest intent, misses in a row, entities."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker

#: Intents that mean the assistant did not (or could not) answer the patient's question.
MISS_INTENTS = frozenset({"nlu_fallback", "none_of_these", "out_of_scope"})

#: The entity the spaCy EntityRuler sets for spine levels such as L4-L5 or L5/S1.
SPINE_LEVEL_ENTITY = "spine_level"

_LEVEL_SEPARATOR = re.compile(r"[\s/\\\u2013\u2014-]+")


def latest_intent(tracker: Tracker) -> Optional[str]:
    """Name of the intent of the latest user message, if any."""
    intent = (tracker.latest_message or {}).get("intent") or {}
    return intent.get("name")


def latest_text(tracker: Tracker) -> str:
    """Text of the latest user message ('' when there is none)."""
    return (tracker.latest_message or {}).get("text") or ""


def previous_bot_texts(tracker: Tracker) -> List[str]:
    """What the assistant said between the patient's latest message and the one before it."""
    said: List[str] = []
    users = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users += 1
            if users == 2:
                break
        elif event.get("event") == "bot" and users == 1:
            said.append(str(event.get("text") or ""))
    return list(reversed(said))


def intent_ranking(tracker: Tracker) -> List[Dict[str, Any]]:
    """The classifier's ranking for the latest user message, best first."""
    return list((tracker.latest_message or {}).get("intent_ranking") or [])


def _user_intents_this_session(tracker: Tracker) -> List[Optional[str]]:
    intents: List[Optional[str]] = []
    for event in tracker.events:
        if event.get("event") == "session_started":
            intents = []
        elif event.get("event") == "user":
            intents.append(((event.get("parse_data") or {}).get("intent") or {}).get("name"))
    return intents


def consecutive_misses(tracker: Tracker) -> int:
    """How many of the latest user messages in a row were misses, the current one included."""
    count = 0
    for intent in reversed(_user_intents_this_session(tracker)):
        if intent not in MISS_INTENTS:
            break
        count += 1
    return count


def spine_levels(tracker: Tracker) -> List[str]:
    """Spine levels (e.g. 'L5-S1') mentioned in the latest user message, in order."""
    entities = (tracker.latest_message or {}).get("entities") or []
    levels: List[str] = []
    for entity in entities:
        value = normalise_spine_level(str(entity.get("value", "")))
        if entity.get("entity") == SPINE_LEVEL_ENTITY and value and value not in levels:
            levels.append(value)
    return levels


def normalise_spine_level(text: str) -> str:
    """Write a spine level the usual way: 'l5/s1' and 'L5 S1' become 'L5-S1'."""
    return _LEVEL_SEPARATOR.sub("-", text.strip()).upper()
