"""When an emergency is possible but not clear: the warning signs, and the likely topics.

Two readers look for an emergency: the red-flag pattern rules and the classifier. Every red
flag either reads gets the emergency advice first and the offer to contact the clinic
(actions/safety.py). When only one of them reads it, the message may still be something else:
long stories of bad pain without a warning sign are where the classifier errs (even at 0.9),
and a rule fires on "what is cauda equina syndrome? my mother-in-law had it". So the advice is
followed by "If none of these signs fits, which of these would you like to read about?" with
the classifier's likely topics. An independent review (docs/pipeline.md, tenth round) showed
why the advice itself is never held back: euphemistic reports of real warning signs score as
low as 0.37. And a "did you mean" whose ranking gives the red flag at least `SAFETY_NET_FLOOR`
(a message the classifier could not place) shows the warning signs first
(`possible_emergency`). Chosen on the dev part, the fresh parts, both held-out sets and the
written phrasings (docs/pipeline.md, tenth and eleventh rounds).
"""

from __future__ import annotations

from typing import Any, Dict, Sequence

from rasa_sdk.executor import CollectingDispatcher

from clinic_assistant.content import Content

RED_FLAG_INTENT = "red_flag_symptoms"
#: Set in the parse result by the red-flag pattern rules (clinic_assistant/nlu/red_flag_detector.py
#: names its rule under this key).
RED_FLAG_RULE_KEY = "red_flag_rule"
#: Set by the red-flag rules to the classifier's own intent when a rule fired.
CLASSIFIER_INTENT_KEY = "intent_before_red_flag_rule"
SAFETY_NET_FLOOR = 0.2
#: The message kind the widget shows as an alert (clinic_assistant/channels/message_kind.py).
EMERGENCY_KIND = "emergency"


def is_uncertain_red_flag(message: Dict[str, Any]) -> bool:
    """A red flag that only one reader sees: the classifier without a rule, or a rule whose
    message the classifier reads as something else (its likely topics follow the advice)."""
    intent = message.get("intent") or {}
    if intent.get("name") != RED_FLAG_INTENT or str(message.get("text") or "").startswith("/"):
        return False  # not a red flag, or the patient's own button ("I have one of these signs")
    if message.get(RED_FLAG_RULE_KEY):
        own_intent = (message.get(CLASSIFIER_INTENT_KEY) or {}).get("name")
        return own_intent is not None and own_intent != RED_FLAG_INTENT
    return intent.get("confidence") is not None


def red_flag_possible(ranking: Sequence[Dict[str, Any]]) -> bool:
    """Whether the classifier gives the red flag enough weight to show the safety net."""
    return any(entry.get("name") == RED_FLAG_INTENT
               and float(entry.get("confidence") or 0.0) >= SAFETY_NET_FLOOR
               for entry in ranking)


def say_possible_emergency(dispatcher: CollectingDispatcher, content: Content) -> None:
    """The warning signs and what to do if one applies, shown as an alert, with a button that
    says "I have one of these signs" (it gets the emergency advice: a typed "yes" would not)."""
    dispatcher.utter_message(text=content.message("possible_emergency"), kind=EMERGENCY_KIND,
                             tel=content.clinic.emergency_number,
                             buttons=content.buttons([RED_FLAG_INTENT]))
