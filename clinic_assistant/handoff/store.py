"""Everything the assistant and the staff console do with handoff records, in one place."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import List, Optional

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from clinic_assistant.handoff import totp
from clinic_assistant.handoff.contact import contact_kind
from clinic_assistant.handoff.database import make_session_factory
from clinic_assistant.handoff.passwords import check_for_nobody, hash_password, verify_password
from clinic_assistant.handoff.records import (
    OPEN_STATUSES,
    REASONS,
    CallbackRequest,
    Handoff,
    HandoffStatus,
    SecondFactor,
    StaffAccount,
    StaffSession,
    utc_now,
)
from clinic_assistant.handoff.references import new_reference


@dataclass(frozen=True)
class CallbackView:
    """A call-back request as staff see it."""

    reference: str
    name: str
    contact: str
    contact_kind: str
    preferred_time: str
    reason_text: str
    consented_at: dt.datetime
    done_at: Optional[dt.datetime]


@dataclass(frozen=True)
class HandoffView:
    """A handoff record, detached from the database session."""

    id: int
    conversation_id: str
    reason: str
    status: HandoffStatus
    outcome: Optional[str]
    created_at: dt.datetime
    claimed_at: Optional[dt.datetime]
    closed_at: Optional[dt.datetime]
    assigned_staff: Optional[str]
    callback: Optional[CallbackView] = None


@dataclass(frozen=True)
class StaffMember:
    """A signed-in staff member."""

    username: str
    display_name: str


@dataclass(frozen=True)
class SignIn:
    """The result of checking a username, password and (for accounts with one) a TOTP code."""

    member: Optional[StaffMember]
    #: Why it failed, for the audit trail and the log (never shown to the person signing in):
    #: "unknown account", "wrong password", "code missing" or "wrong code".
    failure: Optional[str] = None

    @property
    def known_account(self) -> bool:
        """Whether the username belongs to an account (failed or not)."""
        return self.failure != "unknown account"


def _view(record: Handoff) -> HandoffView:
    callback = record.callback
    return HandoffView(
        id=record.id, conversation_id=record.conversation_id, reason=record.reason,
        status=HandoffStatus(record.status), outcome=record.outcome, created_at=record.created_at,
        claimed_at=record.claimed_at, closed_at=record.closed_at,
        assigned_staff=record.assigned_staff,
        callback=None if callback is None else CallbackView(
            reference=callback.reference, name=callback.name, contact=callback.contact,
            contact_kind=callback.contact_kind, preferred_time=callback.preferred_time,
            reason_text=callback.reason_text, consented_at=callback.consented_at,
            done_at=callback.done_at),
    )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class HandoffStore:
    """Handoffs, call-back requests, staff accounts and console sessions."""

    def __init__(self, sessions: sessionmaker) -> None:
        self._sessions = sessions

    @classmethod
    def from_url(cls, url: str) -> "HandoffStore":
        """A store on the database at `url` (tables are created when missing)."""
        return cls(make_session_factory(url))

    # Patients' side -------------------------------------------------------------------------

    def open_handoff(self, conversation_id: str) -> Optional[HandoffView]:
        """The conversation's waiting or active handoff, if any."""
        with self._sessions() as session:
            record = session.scalars(
                select(Handoff).where(Handoff.conversation_id == conversation_id,
                                      Handoff.status.in_(OPEN_STATUSES))
                .order_by(Handoff.id.desc())).first()
            return None if record is None else _view(record)

    def start_live(self, conversation_id: str, reason: str) -> HandoffView:
        """Put a conversation in the staff queue (status waiting)."""
        if reason not in REASONS:
            raise ValueError(f"unknown handoff reason {reason!r}")
        with self._sessions.begin() as session:
            record = Handoff(conversation_id=conversation_id, reason=reason,
                             status=HandoffStatus.WAITING)
            session.add(record)
            session.flush()
            return _view(record)

    def save_callback(self, conversation_id: str, reason: str, *, name: str, contact: str,
                      preferred_time: str, reason_text: str) -> HandoffView:
        """Store a call-back request the patient consented to, with a new reference."""
        if reason not in REASONS:
            raise ValueError(f"unknown handoff reason {reason!r}")
        for _attempt in range(5):
            try:
                with self._sessions.begin() as session:
                    record = Handoff(conversation_id=conversation_id, reason=reason,
                                     status=HandoffStatus.CALLBACK)
                    record.callback = CallbackRequest(
                        reference=new_reference(), name=name, contact=contact,
                        contact_kind=contact_kind(contact), preferred_time=preferred_time,
                        reason_text=reason_text, consented_at=utc_now())
                    session.add(record)
                    session.flush()
                    return _view(record)
            except IntegrityError:
                continue  # the random reference was taken: draw another
        raise RuntimeError("could not create a unique call-back reference")

    # Staff side -----------------------------------------------------------------------------

    def get(self, handoff_id: int) -> Optional[HandoffView]:
        """One handoff by its id."""
        with self._sessions() as session:
            record = session.get(Handoff, handoff_id)
            return None if record is None else _view(record)

    def queue(self) -> List[HandoffView]:
        """Waiting and active conversations and open call-back requests, oldest first."""
        with self._sessions() as session:
            records = session.scalars(
                select(Handoff).where(Handoff.status.in_(OPEN_STATUSES + (HandoffStatus.CALLBACK,)))
                .order_by(Handoff.created_at, Handoff.id)).all()
            return [_view(r) for r in records
                    if r.status != HandoffStatus.CALLBACK
                    or (r.callback and r.callback.done_at is None)]

    def _transition(self, handoff_id: int, from_statuses: tuple, to_status: HandoffStatus,
                    username: str, outcome: Optional[str] = None) -> Optional[HandoffView]:
        with self._sessions.begin() as session:
            record = session.get(Handoff, handoff_id, with_for_update=True)
            if record is None or record.status not in from_statuses:
                return None
            now = utc_now()
            record.status = to_status
            if to_status == HandoffStatus.ACTIVE:
                record.claimed_at, record.assigned_staff = now, username
            else:
                record.closed_at, record.outcome = now, outcome
                record.assigned_staff = record.assigned_staff or username
            session.flush()
            return _view(record)

    def claim(self, handoff_id: int, username: str) -> Optional[HandoffView]:
        """A staff member takes a waiting conversation; None if it is no longer waiting."""
        return self._transition(handoff_id, (HandoffStatus.WAITING,), HandoffStatus.ACTIVE,
                                username)

    def hand_back(self, handoff_id: int, username: str) -> Optional[HandoffView]:
        """Staff give the conversation back to the assistant."""
        return self._transition(handoff_id, OPEN_STATUSES, HandoffStatus.CLOSED, username,
                                "handed_back")

    def close(self, handoff_id: int, username: str) -> Optional[HandoffView]:
        """Staff end the conversation."""
        return self._transition(handoff_id, OPEN_STATUSES, HandoffStatus.CLOSED, username,
                                "closed_by_staff")

    def expire_unclaimed(self, now: dt.datetime, timeout_seconds: float) -> List[HandoffView]:
        """Close conversations nobody claimed in time; returns them so patients can be told.

        Each record is closed by an UPDATE that still requires status `waiting`: with several
        console instances (several watchers on one database) each expired chat is returned by
        exactly one of them, so its patient is told once.
        """
        cutoff = now - dt.timedelta(seconds=timeout_seconds)
        with self._sessions.begin() as session:
            candidates = session.scalars(select(Handoff.id).where(
                Handoff.status == HandoffStatus.WAITING, Handoff.created_at <= cutoff)).all()
            expired = [handoff_id for handoff_id in candidates if session.execute(
                update(Handoff).where(Handoff.id == handoff_id,
                                      Handoff.status == HandoffStatus.WAITING)
                .values(status=HandoffStatus.CLOSED, outcome="unclaimed", closed_at=now)
                .execution_options(synchronize_session=False)).rowcount == 1]
            if not expired:
                return []
            records = session.scalars(select(Handoff).where(Handoff.id.in_(expired))
                                      .order_by(Handoff.id)).all()
            return [_view(r) for r in records]

    def mark_called_back(self, handoff_id: int, username: str) -> Optional[HandoffView]:
        """Staff have called or emailed the patient back."""
        with self._sessions.begin() as session:
            record = session.get(Handoff, handoff_id)
            if record is None or record.callback is None or record.callback.done_at is not None:
                return None
            now = utc_now()
            record.callback.done_at, record.callback.done_by = now, username
            record.outcome, record.closed_at = "called_back", now
            record.assigned_staff = username
            session.flush()
            return _view(record)

    def purge_callbacks(self, now: dt.datetime, retention_days: int) -> int:
        """Delete call-back requests (and their handoff) older than the retention period."""
        cutoff = now - dt.timedelta(days=retention_days)
        with self._sessions.begin() as session:
            ids = session.scalars(select(CallbackRequest.handoff_id).where(
                CallbackRequest.consented_at < cutoff)).all()
            if ids:
                session.execute(delete(CallbackRequest).where(CallbackRequest.handoff_id.in_(ids)))
                session.execute(delete(Handoff).where(Handoff.id.in_(ids)))
            return len(ids)

    # Staff accounts and console sessions ----------------------------------------------------

    @property
    def session_factory(self) -> sessionmaker:
        """The database sessions (for the audit trail and sign-in throttling on the same file)."""
        return self._sessions

    def add_staff(self, username: str, display_name: str, password: str, *,
                  totp_secret: Optional[str] = None, remove_totp: bool = False) -> bool:
        """Create a staff account, or reset its name and password if it exists.

        `totp_secret` enrols a (new) second factor, `remove_totp` removes it. Changing an
        existing account signs it out everywhere. Returns whether the account existed.
        """
        with self._sessions.begin() as session:
            account = session.get(StaffAccount, username)
            existed = account is not None
            if account is None:
                account = StaffAccount(username=username, display_name=display_name,
                                       password_hash="")
                session.add(account)
            account.display_name = display_name
            account.password_hash = hash_password(password)
            session.flush()
            factor = session.get(SecondFactor, username)
            if totp_secret is not None:
                if factor is None:
                    factor = SecondFactor(username=username, secret=totp_secret)
                    session.add(factor)
                factor.secret, factor.last_step, factor.created_at = totp_secret, 0, utc_now()
            elif remove_totp and factor is not None:
                session.delete(factor)
            if existed:
                session.execute(delete(StaffSession).where(StaffSession.username == username))
        return existed

    def account_exists(self, username: str) -> bool:
        """Whether a staff account has this username."""
        with self._sessions() as session:
            return session.get(StaffAccount, username) is not None

    def has_second_factor(self, username: str) -> bool:
        """Whether the account signs in with a TOTP code as well as its password."""
        with self._sessions() as session:
            return session.get(SecondFactor, username) is not None

    def sign_in(self, username: str, password: str, code: str = "",
                unix_seconds: Optional[float] = None) -> SignIn:
        """Check the password and, for accounts with a second factor, the TOTP code (once)."""
        with self._sessions.begin() as session:
            account = session.get(StaffAccount, username)
            if account is None:
                check_for_nobody(password)
                return SignIn(None, "unknown account")
            if not verify_password(password, account.password_hash):
                return SignIn(None, "wrong password")
            factor = session.get(SecondFactor, username, with_for_update=True)
            if factor is not None:
                if not code.strip():
                    return SignIn(None, "code missing")
                step = totp.matching_step(factor.secret, code, unix_seconds or time.time(),
                                          factor.last_step)
                if step is None:
                    return SignIn(None, "wrong code")
                factor.last_step = step
            return SignIn(StaffMember(account.username, account.display_name))

    def authenticate(self, username: str, password: str, code: str = "") -> Optional[StaffMember]:
        """The staff member if the password (and code, when required) is right, else None."""
        return self.sign_in(username, password, code).member

    def start_session(self, username: str, lifetime_seconds: float) -> str:
        """A new console session for `username`; returns the secret cookie value."""
        token = secrets.token_urlsafe(32)
        now = utc_now()
        with self._sessions.begin() as session:
            session.add(StaffSession(token_hash=_token_hash(token), username=username,
                                     created_at=now, last_seen=now, last_active=now,
                                     expires_at=now + dt.timedelta(seconds=lifetime_seconds)))
        return token

    def session_member(self, token: str, now: dt.datetime, idle_seconds: Optional[float] = None,
                       active: bool = True) -> Optional[StaffMember]:
        """The staff member of a live session (and mark them present), or None.

        A session ends at `expires_at`, or after `idle_seconds` without an `active` request
        (the page's background polling is not activity).
        """
        with self._sessions.begin() as session:
            record = session.get(StaffSession, _token_hash(token))
            if record is None:
                return None
            last_active = record.last_active or record.created_at
            idle = (idle_seconds is not None
                    and now - last_active > dt.timedelta(seconds=idle_seconds))
            if record.expires_at <= now or idle:
                session.delete(record)
                return None
            record.last_seen = now
            if active:
                record.last_active = now
            account = session.get(StaffAccount, record.username)
            return None if account is None else StaffMember(account.username,
                                                            account.display_name)

    def end_session(self, token: str) -> None:
        """Sign out."""
        with self._sessions.begin() as session:
            session.execute(delete(StaffSession).where(
                StaffSession.token_hash == _token_hash(token)))

    def staff_present(self, now: dt.datetime, presence_seconds: float) -> bool:
        """Whether a signed-in staff member has had the console open within the last seconds."""
        since = now - dt.timedelta(seconds=presence_seconds)
        with self._sessions() as session:
            return session.scalars(select(StaffSession.token_hash).where(
                StaffSession.last_seen >= since, StaffSession.expires_at > now)).first() is not None
