"""Keep patients' words out of Rasa's structured logs, at every log level.

Rasa 3.6 writes many log entries through structlog with what a patient wrote as a value
(`text` in `rest.message.received.failure`, `parse_data_text` and `rasa_events` at debug level,
...). Rasa's own hook for this, the `get_anonymization_pipeline` plugin, also makes Rasa re-read
the tracker for every message, so instead this module puts a processor at the head of
structlog's processor chain that replaces the values of those keys (the list Rasa anonymizes,
`rasa.utils.log_utils._anonymizer`) with a fixed marker. The chain is the one list every
structlog logger shares, also the loggers already created, so it is changed in place.
Rasa's plain (non-structured) debug messages are not covered: never run the server with
`--debug` on real conversations (docs/security.md).
"""

from __future__ import annotations

from typing import Any, MutableMapping

import structlog

WITHHELD = "[withheld: may contain patient text]"

#: The keys Rasa 3.6 treats as possibly holding a patient's words (rasa/utils/log_utils.py).
PATIENT_TEXT_KEYS = frozenset({
    "text", "response_text", "user_text", "slots", "parse_data_text", "parse_data_entities",
    "prediction_events", "tracker_latest_message", "prefilled_slots", "message", "response",
    "slot_candidates", "rasa_event", "rasa_events", "tracker_states", "current_states",
    "old_states", "successes", "current_entity", "next_entity", "states", "entity",
    "token_text", "user_message", "json_message",
})


def withhold_patient_text(_logger: Any, _method: str,
                          event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """Structlog processor: the marker instead of every value that may hold patient text."""
    for key in PATIENT_TEXT_KEYS.intersection(event_dict):
        event_dict[key] = WITHHELD
    return event_dict


def install() -> None:
    """Put the processor first in structlog's shared chain (once per process)."""
    processors = structlog.get_config()["processors"]
    if withhold_patient_text not in processors:
        processors.insert(0, withhold_patient_text)

