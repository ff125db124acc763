"""When an emergency is possible but not clear: the warning signs, and the likely topics.

A red-flag pattern rule, or the classifier at `CERTAIN_RED_FLAG_CONFIDENCE` or more, gets the
emergency advice and the offer to contact the clinic (actions/safety.py). Below that, a red
flag read by the classifier alone is unsure: long stories of bad pain without a warning sign
are where it errs, but so are euphemistic reports of real warning signs (an independent review
wrote five at 0.37-0.49), so it still gets the full emergency advice first, then "If none of
these signs fits, which of these would you like to read about?" with the likely topics. And a
"did you mean" whose ranking gives the red flag at least `SAFETY_NET_FLOOR` (a message the
classifier could not place) shows the warning signs first (`possible_emergency`), where it used
to say nothing of them. Chosen on the dev part, the fresh parts, both held-out sets and the
written phrasings (docs/pipeline.md, tenth round).
"""

from __future__ import annotations

from typing import Any, Dict, Sequence

from rasa_sdk.executor import CollectingDispatcher

from clinic_assistant.content import Content

RED_FLAG_INTENT = "red_flag_symptoms"
#: Set in the parse result by the red-flag pattern rules (clinic_assistant/nlu/red_flag_detector.py
#: names its rule under this key).
RED_FLAG_RULE_KEY = "red_flag_rule"
CERTAIN_RED_FLAG_CONFIDENCE = 0.5
SAFETY_NET_FLOOR = 0.2
#: The message kind the widget shows as an alert (clinic_assistant/channels/message_kind.py).
EMERGENCY_KIND = "emergency"


def is_uncertain_red_flag(message: Dict[str, Any]) -> bool:
    """A red flag from the classifier alone, below the confidence at which only the emergency
    advice is given (below it the likely topics follow the advice)."""
    intent = message.get("intent") or {}
    confidence = intent.get("confidence")
    return (intent.get("name") == RED_FLAG_INTENT and not message.get(RED_FLAG_RULE_KEY)
            and confidence is not None and float(confidence) < CERTAIN_RED_FLAG_CONFIDENCE)


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
