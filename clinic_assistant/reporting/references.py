"""How the report refers to a conversation without its id (for the widget, a session secret).

A conversation with a handoff is named by the handoff's number, which staff also see in the
console's addresses and the audit trail ("handoff 12"). Any other conversation gets a short
reference: "C-" and the first 8 hex digits of HMAC-SHA256(key, sender id + session number).
A keyed HMAC and not a plain or salted hash because the key is what makes it one-way: sender
ids sent over the REST API can be short or guessable ("me", a phone number), and anyone who
could compute the hash could confirm a guess; without the key no one can. The key is
REPORT_REFERENCE_KEY from the environment (.env); without it a random key is made for each
run, so references stay unguessable but differ between two reports.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

KEY_VARIABLE = "REPORT_REFERENCE_KEY"
HEX_DIGITS = 8
#: A handoff belongs to a conversation if it was created between its first message and this
#: many seconds after its last one.
HANDOFF_SLACK_SECONDS = 120.0

Conversation = Tuple[str, int]


def reference_key(environ: Mapping[str, str] = os.environ) -> bytes:
    """The HMAC key: REPORT_REFERENCE_KEY, or a random one for this run."""
    configured = environ.get(KEY_VARIABLE, "").strip()
    return configured.encode("utf-8") if configured else secrets.token_bytes(32)


def short_reference(conversation: Conversation, key: bytes) -> str:
    """'C-' and 8 hex digits of the keyed hash of the conversation: not reversible."""
    sender, session = conversation
    message = f"{sender}\x00{session}".encode("utf-8")
    return "C-" + hmac.new(key, message, hashlib.sha256).hexdigest()[:HEX_DIGITS]


@dataclass(frozen=True)
class HandoffTimes:
    """When each sender's handoffs were created: sender id -> sorted (epoch seconds, number)."""

    by_sender: Mapping[str, Sequence[Tuple[float, int]]] = field(default_factory=dict)

    def number(self, sender: str, first: float, last: float) -> Optional[int]:
        """The first handoff of `sender` created between `first` and `last` (+ slack)."""
        times = self.by_sender.get(sender) or ()
        index = bisect.bisect_left(times, (first, -1))
        if index < len(times) and times[index][0] <= last + HANDOFF_SLACK_SECONDS:
            return times[index][1]
        return None


def handoff_times(rows: Sequence[Tuple[str, dt.datetime, int]]) -> HandoffTimes:
    """From (conversation id, created at in UTC without time zone, handoff number) rows."""
    by_sender: Dict[str, List[Tuple[float, int]]] = {}
    for sender, created, number in rows:
        moment = created.replace(tzinfo=dt.timezone.utc).timestamp()
        by_sender.setdefault(str(sender), []).append((moment, int(number)))
    return HandoffTimes({s: sorted(t) for s, t in by_sender.items()})


@dataclass(frozen=True)
class References:
    """Names conversations: 'handoff 12' where there is one, else 'C-1a2b3c4d'."""

    key: bytes
    handoffs: HandoffTimes = field(default_factory=HandoffTimes)
    spans: Mapping[Conversation, Tuple[float, float]] = field(default_factory=dict)

    def __call__(self, conversation: Conversation) -> str:
        """The reference shown for `conversation`."""
        span = self.spans.get(conversation)
        if span is not None:
            number = self.handoffs.number(conversation[0], *span)
            if number is not None:
                return f"handoff {number}"
        return short_reference(conversation, self.key)
