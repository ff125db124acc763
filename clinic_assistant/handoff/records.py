"""Database tables for handoffs, call-back requests and staff accounts (SQLAlchemy)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()

#: Why a patient was handed to staff.
REASONS = ("requested", "red_flag", "fallback", "consultation", "personal_question")
#: Where a handoff stands: waiting for staff, a staff member is chatting, ended, or a call-back.
STATUSES = ("waiting", "active", "closed", "callback")
#: How a closed handoff ended.
OUTCOMES = ("handed_back", "closed_by_staff", "unclaimed", "called_back")


def utc_now() -> dt.datetime:
    """The current time in UTC, without time-zone info (as stored)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Handoff(Base):
    """One request to hand a conversation to a person."""

    __tablename__ = "handoffs"

    id = Column(Integer, primary_key=True)
    #: Rasa's sender id. For the widget this is the socket session id, a bearer secret: it is
    #: never shown in the console's URLs, logs or notifications.
    conversation_id = Column(String(255), nullable=False, index=True)
    reason = Column(String(32), nullable=False)
    status = Column(String(16), nullable=False, index=True)
    outcome = Column(String(32))
    created_at = Column(DateTime, nullable=False, default=utc_now)
    claimed_at = Column(DateTime)
    closed_at = Column(DateTime)
    assigned_staff = Column(String(64))
    callback = relationship("CallbackRequest", back_populates="handoff", uselist=False,
                            cascade="all, delete-orphan")


class CallbackRequest(Base):
    """Contact details a patient agreed to leave so that staff call or email them back."""

    __tablename__ = "callback_requests"

    id = Column(Integer, primary_key=True)
    handoff_id = Column(Integer, ForeignKey("handoffs.id", ondelete="CASCADE"), nullable=False)
    reference = Column(String(16), nullable=False, unique=True)
    name = Column(String(120), nullable=False)
    contact = Column(String(254), nullable=False)
    contact_kind = Column(String(8), nullable=False)
    preferred_time = Column(String(200), nullable=False)
    reason_text = Column(Text, nullable=False)
    consented_at = Column(DateTime, nullable=False)
    done_at = Column(DateTime)
    done_by = Column(String(64))
    handoff = relationship("Handoff", back_populates="callback")


class StaffAccount(Base):
    """A clinic staff member who may sign in to the console."""

    __tablename__ = "staff_accounts"

    username = Column(String(64), primary_key=True)
    display_name = Column(String(80), nullable=False)
    password_hash = Column(String(255), nullable=False)
    created_at = Column(DateTime, nullable=False, default=utc_now)


class StaffSession(Base):
    """A signed-in console session; `last_seen` tells whether staff are at the console."""

    __tablename__ = "staff_sessions"

    token_hash = Column(String(64), primary_key=True)
    username = Column(String(64), ForeignKey("staff_accounts.username", ondelete="CASCADE"),
                      nullable=False)
    created_at = Column(DateTime, nullable=False, default=utc_now)
    last_seen = Column(DateTime, nullable=False, default=utc_now)
    expires_at = Column(DateTime, nullable=False)
