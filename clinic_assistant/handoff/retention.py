"""Handoff and call-back records of one conversation: find, export, erase, expire.

The audit trail (`audit_log`) is never touched: its entries name a handoff by number only, hold
no patient text, and are kept for six years (docs/security.md). After a deletion a SQLite file is
rebuilt and its write-ahead log emptied, so no copy of the deleted rows is left in its bytes
(clinic_assistant/sqlite_wal.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Optional, Sequence

from sqlalchemy import delete, select, text
from sqlalchemy.orm import sessionmaker

from clinic_assistant.handoff.records import OPEN_STATUSES, CallbackRequest, Handoff
from clinic_assistant.sqlite_wal import rebuild_file


def _iso(value: Optional[dt.datetime]) -> Optional[str]:
    return None if value is None else value.isoformat() + "Z"


def _record_json(record: Handoff) -> Dict[str, Any]:
    body: Dict[str, Any] = {
        "number": record.id, "reason": record.reason, "status": record.status,
        "outcome": record.outcome, "created_at": _iso(record.created_at),
        "claimed_at": _iso(record.claimed_at), "closed_at": _iso(record.closed_at),
        "staff_member": record.assigned_staff, "callback": None}
    callback = record.callback
    if callback is not None:
        body["callback"] = {
            "reference": callback.reference, "name": callback.name, "contact": callback.contact,
            "contact_kind": callback.contact_kind, "preferred_time": callback.preferred_time,
            "reason": callback.reason_text, "consented_at": _iso(callback.consented_at),
            "called_back_at": _iso(callback.done_at), "called_back_by": callback.done_by}
    return body


class HandoffRetention:
    """Conversation-level reads and deletions on the handoff database."""

    def __init__(self, sessions: sessionmaker) -> None:
        self._sessions = sessions

    def conversation_of_handoff(self, number: int) -> Optional[str]:
        """The conversation id of handoff `number`, if it exists."""
        with self._sessions() as session:
            record = session.get(Handoff, number)
            return None if record is None else record.conversation_id

    def conversation_of_reference(self, reference: str) -> Optional[str]:
        """The conversation id of a call-back reference such as CB-7K3QX (any case)."""
        with self._sessions() as session:
            record = session.scalars(select(CallbackRequest).where(
                CallbackRequest.reference == reference.strip().upper())).first()
            return None if record is None else record.handoff.conversation_id

    def records(self, conversation_id: str) -> List[Dict[str, Any]]:
        """The conversation's handoff records with their call-backs, oldest first."""
        with self._sessions() as session:
            rows = session.scalars(select(Handoff).where(
                Handoff.conversation_id == conversation_id).order_by(Handoff.id)).all()
            return [_record_json(row) for row in rows]

    def erase(self, conversation_ids: Sequence[str], *, then_rebuild: bool = True
              ) -> Dict[str, Any]:
        """Delete the conversations' handoffs and call-backs and rebuild the file (unless the
        caller rebuilds it later); says how many and which."""
        ids = sorted(set(conversation_ids))
        if not ids:
            return {"handoffs": 0, "callbacks": 0, "references": []}
        with self._sessions.begin() as session:
            if session.bind.dialect.name == "sqlite":
                session.execute(text("PRAGMA secure_delete=ON"))
            numbers = session.scalars(select(Handoff.id).where(
                Handoff.conversation_id.in_(ids))).all()
            references = session.scalars(select(CallbackRequest.reference).where(
                CallbackRequest.handoff_id.in_(numbers))).all() if numbers else []
            if numbers:
                session.execute(delete(CallbackRequest).where(
                    CallbackRequest.handoff_id.in_(numbers)))
                session.execute(delete(Handoff).where(Handoff.id.in_(numbers)))
        if numbers and then_rebuild:
            self.rebuild()
        return {"handoffs": len(numbers), "callbacks": len(references),
                "references": sorted(references)}

    def purge_handoffs(self, now: dt.datetime, retention_days: int) -> int:
        """Delete ended handoffs without a call-back requested before the retention period."""
        cutoff = now - dt.timedelta(days=retention_days)
        with self._sessions.begin() as session:
            if session.bind.dialect.name == "sqlite":
                session.execute(text("PRAGMA secure_delete=ON"))
            with_callback = select(CallbackRequest.handoff_id)
            numbers = session.scalars(select(Handoff.id).where(
                Handoff.created_at < cutoff, Handoff.status.not_in(OPEN_STATUSES),
                Handoff.id.not_in(with_callback))).all()
            if numbers:
                session.execute(delete(Handoff).where(Handoff.id.in_(numbers)))
        if numbers:
            self.rebuild()
        return len(numbers)

    def expired_callback_conversations(self, now: dt.datetime, retention_days: int) -> List[str]:
        """Conversations with a call-back request consented before the retention period (the
        conversation holds the same details in its messages, so it goes with the request)."""
        cutoff = now - dt.timedelta(days=retention_days)
        with self._sessions() as session:
            return list(session.scalars(
                select(Handoff.conversation_id).join(CallbackRequest)
                .where(CallbackRequest.consented_at < cutoff).distinct()))

    def conversations(self) -> List[str]:
        """Every conversation id that has a handoff record."""
        with self._sessions() as session:
            return list(session.scalars(select(Handoff.conversation_id).distinct()))

    def rebuild(self) -> bool:
        """Write the file anew from its live rows and empty its log (SQLite; clinic_assistant/
        sqlite_wal.py); False, with a warning, if it could not."""
        with self._sessions() as session:
            engine = session.get_bind()
        return rebuild_file(engine, "the handoff database")
