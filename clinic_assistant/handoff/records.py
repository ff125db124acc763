"""Database tables for handoffs, call-back requests, staff accounts and the audit trail."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import TYPE_CHECKING, Any, Optional

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, declarative_base, relationship

if TYPE_CHECKING:
    # The tables run on SQLAlchemy 1.4 (Rasa's .venv, no types) and 2 (the staff console).
    # SQLAlchemy 2's types give a legacy `Column` attribute the type Column[...] on instances
    # too; its `mapped_column` takes the same arguments and gives the Mapped[...] that both
    # versions really map the attribute to. 1.4 has no mapped_column, so the code runs Column.
    from sqlalchemy.orm import mapped_column as Column
else:
    from sqlalchemy import Column

#: Typed Any: `declarative_base()` returns Any in SQLAlchemy 2, and 1.4 has no types.
Base: Any = declarative_base()

#: Why a patient was handed to staff.
REASONS = ("requested", "red_flag", "fallback", "consultation", "personal_question")


class HandoffStatus(str, Enum):
    """Where a handoff stands. A `str`, so the stored value is the plain word ("waiting")."""

    #: The patient waits for a staff member to take the chat.
    WAITING = "waiting"
    #: A staff member is chatting with the patient.
    ACTIVE = "active"
    #: Ended: handed back, closed by staff, unclaimed, or the call-back was made.
    CLOSED = "closed"
    #: A call-back request the patient consented to.
    CALLBACK = "callback"

    def __str__(self) -> str:
        return self.value


#: Handoffs still going on: never expired by the retention, and the conversation stays paused.
OPEN_STATUSES = (HandoffStatus.WAITING, HandoffStatus.ACTIVE)

#: How a closed handoff ended.
OUTCOMES = ("handed_back", "closed_by_staff", "unclaimed", "called_back")


def utc_now() -> dt.datetime:
    """The current time in UTC, without time-zone info (as stored)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Handoff(Base):
    """One request to hand a conversation to a person."""

    __tablename__ = "handoffs"

    id: Mapped[int] = Column(Integer, primary_key=True)
    #: Rasa's sender id. For the widget this is the socket session id, a bearer secret: it is
    #: never shown in the console's URLs, logs or notifications.
    conversation_id: Mapped[str] = Column(String(255), nullable=False, index=True)
    reason: Mapped[str] = Column(String(32), nullable=False)
    status: Mapped[str] = Column(String(16), nullable=False, index=True)
    outcome: Mapped[Optional[str]] = Column(String(32))
    created_at: Mapped[dt.datetime] = Column(DateTime, nullable=False, default=utc_now)
    claimed_at: Mapped[Optional[dt.datetime]] = Column(DateTime)
    closed_at: Mapped[Optional[dt.datetime]] = Column(DateTime)
    assigned_staff: Mapped[Optional[str]] = Column(String(64))
    callback: Mapped[Optional[CallbackRequest]] = relationship(
        "CallbackRequest", back_populates="handoff", uselist=False, cascade="all, delete-orphan")


class CallbackRequest(Base):
    """Contact details a patient agreed to leave so that staff call or email them back."""

    __tablename__ = "callback_requests"

    id: Mapped[int] = Column(Integer, primary_key=True)
    handoff_id: Mapped[int] = Column(Integer, ForeignKey("handoffs.id", ondelete="CASCADE"),
                                     nullable=False)
    reference: Mapped[str] = Column(String(16), nullable=False, unique=True)
    name: Mapped[str] = Column(String(120), nullable=False)
    contact: Mapped[str] = Column(String(254), nullable=False)
    contact_kind: Mapped[str] = Column(String(8), nullable=False)
    preferred_time: Mapped[str] = Column(String(200), nullable=False)
    reason_text: Mapped[str] = Column(Text, nullable=False)
    consented_at: Mapped[dt.datetime] = Column(DateTime, nullable=False)
    done_at: Mapped[Optional[dt.datetime]] = Column(DateTime)
    done_by: Mapped[Optional[str]] = Column(String(64))
    handoff: Mapped[Handoff] = relationship("Handoff", back_populates="callback")


class StaffAccount(Base):
    """A clinic staff member who may sign in to the console."""

    __tablename__ = "staff_accounts"

    username: Mapped[str] = Column(String(64), primary_key=True)
    display_name: Mapped[str] = Column(String(80), nullable=False)
    password_hash: Mapped[str] = Column(String(255), nullable=False)
    created_at: Mapped[dt.datetime] = Column(DateTime, nullable=False, default=utc_now)


class StaffSession(Base):
    """A signed-in console session; `last_seen` tells whether staff are at the console."""

    __tablename__ = "staff_sessions"

    token_hash: Mapped[str] = Column(String(64), primary_key=True)
    username: Mapped[str] = Column(String(64),
                                   ForeignKey("staff_accounts.username", ondelete="CASCADE"),
                                   nullable=False)
    created_at: Mapped[dt.datetime] = Column(DateTime, nullable=False, default=utc_now)
    last_seen: Mapped[dt.datetime] = Column(DateTime, nullable=False, default=utc_now)
    expires_at: Mapped[dt.datetime] = Column(DateTime, nullable=False)
    #: The last request the staff member made (not the page's background polling): the idle
    #: timeout counts from here. Empty in sessions created before the column existed.
    last_active: Mapped[Optional[dt.datetime]] = Column(DateTime)


class SecondFactor(Base):
    """A staff member's TOTP secret (RFC 6238), and the last time step used (no replays)."""

    __tablename__ = "staff_second_factors"

    username: Mapped[str] = Column(String(64),
                                   ForeignKey("staff_accounts.username", ondelete="CASCADE"),
                                   primary_key=True)
    secret: Mapped[str] = Column(String(64), nullable=False)
    last_step: Mapped[int] = Column(Integer, nullable=False, default=0)
    created_at: Mapped[dt.datetime] = Column(DateTime, nullable=False, default=utc_now)


class LoginFailure(Base):
    """One failed console sign-in, kept for the throttling windows (at most an hour or so).

    `account_key` is a hash of the username as typed (a password typed into the username
    field is never stored); `address` is the client's address.
    """

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_key_at", "account_key", "at"),
                      Index("ix_login_failures_address_at", "address", "at"))

    id: Mapped[int] = Column(Integer, primary_key=True)
    account_key: Mapped[str] = Column(String(64), nullable=False)
    address: Mapped[str] = Column(String(64), nullable=False)
    at: Mapped[dt.datetime] = Column(DateTime, nullable=False)


class AuditEntry(Base):
    """One console action on a patient's record or a sign-in: append-only, no patient text.

    `handoff_id` is a plain number, not a foreign key: the entry outlives an erased record.
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"),
                      Index("ix_audit_log_actor_action", "actor", "action", "handoff_id", "at"))

    id: Mapped[int] = Column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = Column(DateTime, nullable=False)
    actor: Mapped[str] = Column(String(64), nullable=False)
    action: Mapped[str] = Column(String(32), nullable=False)
    handoff_id: Mapped[Optional[int]] = Column(Integer)
    address: Mapped[str] = Column(String(64), nullable=False)
    outcome: Mapped[str] = Column(String(40), nullable=False)
