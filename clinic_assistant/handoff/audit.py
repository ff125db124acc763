"""The audit trail (HIPAA 164.312(b)): who did what to which record, when, from where, outcome.

Entries hold no patient text: the record is named by its handoff number only. The table is
append-only: nothing in the code updates or deletes it, and on SQLite triggers refuse it
(clinic_assistant/handoff/database.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable, List, Optional

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from clinic_assistant.handoff.records import AuditEntry, utc_now

#: Stored "who" of a sign-in with a username that has no account (what was typed is not kept:
#: it may be a password typed into the wrong field).
UNKNOWN_ACTOR = "(unknown account)"


@dataclass(frozen=True)
class AuditLine:
    """One audit entry, detached from the database."""

    at: dt.datetime
    actor: str
    action: str
    handoff_id: Optional[int]
    address: str
    outcome: str

    def as_text(self) -> str:
        """One line for the terminal: time (UTC), address, who, what, record, outcome."""
        record = "-" if self.handoff_id is None else f"#{self.handoff_id}"
        return (f"{self.at.isoformat(sep=' ', timespec='seconds')}Z  {self.address:<15}  "
                f"{self.actor:<20}  {self.action:<16}  {record:<7}  {self.outcome}")


def _cut(text: str, size: int) -> str:
    return text if len(text) <= size else text[:size]


class AuditLog:
    """Append and read audit entries in the handoff database."""

    def __init__(self, sessions: sessionmaker) -> None:
        self._sessions = sessions

    def record(self, actor: str, action: str, address: str, outcome: str,
               handoff_id: Optional[int] = None, at: Optional[dt.datetime] = None) -> None:
        """Append one entry."""
        with self._sessions.begin() as session:
            session.add(AuditEntry(at=at or utc_now(), actor=_cut(actor, 64),
                                   action=_cut(action, 32), handoff_id=handoff_id,
                                   address=_cut(address, 64), outcome=_cut(outcome, 40)))

    def recorded_since(self, actor: str, action: str, handoff_id: Optional[int],
                       since: dt.datetime, outcome: str = "ok",
                       address: Optional[str] = None) -> bool:
        """Whether this actor already has an entry with this action, record and outcome (and
        address, if given) since then."""
        conditions = [AuditEntry.actor == actor, AuditEntry.action == action,
                      AuditEntry.handoff_id == handoff_id, AuditEntry.outcome == outcome,
                      AuditEntry.at >= since]
        if address is not None:
            conditions.append(AuditEntry.address == address[:64])
        with self._sessions() as session:
            return session.scalars(select(AuditEntry.id).where(*conditions).limit(1)
                                   ).first() is not None

    def entries(self, since: dt.datetime, until: dt.datetime) -> List[AuditLine]:
        """Entries from `since` (inclusive) to `until` (exclusive), oldest first."""
        with self._sessions() as session:
            rows: Iterable[AuditEntry] = session.scalars(
                select(AuditEntry).where(AuditEntry.at >= since, AuditEntry.at < until)
                .order_by(AuditEntry.at, AuditEntry.id))
            return [AuditLine(r.at, r.actor, r.action, r.handoff_id, r.address, r.outcome)
                    for r in rows]
