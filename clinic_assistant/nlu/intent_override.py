"""Put one intent on top of a parsed message, as the NLU components that override do."""

from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message


def force_intent(message: Message, name: str, confidence: float) -> None:
    """Make `name` the message's intent and the first entry of its ranking (once)."""
    forced = {"name": name, "confidence": confidence}
    ranking = [e for e in message.get(INTENT_RANKING_KEY) or [] if e.get("name") != name]
    message.set(INTENT, forced, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [forced, *ranking], add_to_output=True)
