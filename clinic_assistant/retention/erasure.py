"""Export and erasure of one patient's conversation across both databases.

A conversation is named by its conversation id (Rasa's sender id), a handoff number or a
call-back reference. Erasure deletes the handoff and call-back rows first (so nothing keeps
the chat paused or in the staff queue), then every event of the conversation. The staff audit
trail is left alone. While a Rasa server is running, erasure must go through it
(clinic_assistant/channels/privacy.py), which holds the conversation's lock and makes its
in-memory copy forget the conversation; these functions are what it, and the command line with
the server stopped, run.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence

from sqlalchemy.engine import Engine

from clinic_assistant.handoff.records import utc_now
from clinic_assistant.handoff.retention import HandoffRetention
from clinic_assistant.retention import tracker_events

REFERENCE = re.compile(r"CB-[0-9A-Z]{5}", re.IGNORECASE)


class NotFound(LookupError):
    """No conversation, handoff or call-back has this identifier."""


@dataclass(frozen=True)
class Identifier:
    """What names the conversation: exactly one of the three."""

    conversation_id: Optional[str] = None
    handoff_number: Optional[int] = None
    reference: Optional[str] = None

    @classmethod
    def from_json(cls, body: Any) -> "Identifier":
        """From {"conversation_id": ...} | {"handoff": 12} | {"reference": "CB-..."}."""
        if not isinstance(body, dict):
            raise ValueError("send a JSON object")
        given = [key for key in ("conversation_id", "handoff", "reference") if body.get(key)]
        if len(given) != 1:
            raise ValueError("name the conversation by one of conversation_id, handoff, reference")
        value = body[given[0]]
        if given[0] == "handoff":
            if isinstance(value, bool) or not str(value).lstrip("#").isdigit():
                raise ValueError("handoff must be a number")
            return cls(handoff_number=int(str(value).lstrip("#")))
        if not isinstance(value, str) or len(value) > 255:
            raise ValueError(f"{given[0]} must be a string of at most 255 characters")
        if given[0] == "reference":
            if not REFERENCE.fullmatch(value.strip()):
                raise ValueError("a call-back reference looks like CB-7K3QX")
            return cls(reference=value.strip().upper())
        return cls(conversation_id=value)

    def describe(self) -> str:
        """How to name it to staff (never the conversation id: it may be a widget's secret)."""
        if self.handoff_number is not None:
            return f"handoff #{self.handoff_number}"
        if self.reference is not None:
            return f"call-back {self.reference}"
        return "the conversation"


def resolve(identifier: Identifier, handoffs: HandoffRetention) -> str:
    """The conversation id that the identifier names; NotFound if none."""
    if identifier.conversation_id is not None:
        return identifier.conversation_id
    if identifier.handoff_number is not None:
        found = handoffs.conversation_of_handoff(identifier.handoff_number)
    else:
        found = handoffs.conversation_of_reference(identifier.reference or "")
    if found is None:
        raise NotFound(f"no {identifier.describe()}")
    return found


def export(events_engine: Engine, handoffs: HandoffRetention, conversation_id: str,
           now: Optional[dt.datetime] = None) -> Dict[str, Any]:
    """Everything stored about one conversation, as JSON-ready data (no conversation id)."""
    events = tracker_events.conversation_events(events_engine, conversation_id)
    records = handoffs.records(conversation_id)
    if not events and not records:
        raise NotFound("no stored conversation")
    return {"exported_at": (now or utc_now()).isoformat(timespec="seconds") + "Z",
            "events": events, "handoffs": records}


def erase(events_engine: Optional[Engine], handoffs: HandoffRetention,
          conversation_ids: Sequence[str]) -> Dict[str, Any]:
    """Delete the conversations' handoff rows, then their events (none without a conversation
    store); says what was deleted."""
    report = handoffs.erase(conversation_ids)
    report["events"] = 0 if events_engine is None else tracker_events.delete_conversations(
        events_engine, conversation_ids)
    report["conversations"] = len(set(conversation_ids))
    return report


def summary(report: Dict[str, Any]) -> str:
    """One line for the terminal (no patient text)."""
    references: List[str] = report.get("references") or []
    return (f"{report['events']} stored event(s), {report['handoffs']} handoff record(s) and "
            f"{report['callbacks']} call-back request(s)"
            + (f" ({', '.join(references)})" if references else ""))
