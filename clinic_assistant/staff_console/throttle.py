"""Sign-in throttling (OWASP ASVS 2.2.1, NIST SP 800-63B 5.2.2), kept in the console's database.

Each sign-in attempt first takes a slot: it is refused (HTTP 429, without checking the password)
when a window is full, otherwise it is stored as a failure before the password is checked and
removed again if the password was right. Taking slots under one lock means that guesses sent
all at once cannot slip past the limit, and storing them in the database means that a restart
of the console does not reset the counts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from dataclasses import dataclass
from typing import List, Optional

from sqlalchemy import delete, func, select
from sqlalchemy.orm import sessionmaker

from clinic_assistant.handoff.records import LoginFailure, utc_now
from clinic_assistant.staff_console.settings import ThrottleLimits


@dataclass(frozen=True)
class Decision:
    """Whether an attempt may check its password; if not, which limit and for how long."""

    attempt_id: Optional[int]
    refused_by: Optional[str] = None
    retry_after_seconds: int = 0

    @property
    def allowed(self) -> bool:
        """True when the password may be checked."""
        return self.refused_by is None


def account_key(username: str) -> str:
    """A one-way key for the username as typed (it may be a password typed in the wrong field)."""
    return hashlib.sha256(username.encode("utf-8")).hexdigest()[:32]


class LoginThrottle:
    """Failed sign-ins per account and address, in the `login_failures` table."""

    def __init__(self, sessions: sessionmaker, limits: ThrottleLimits = ThrottleLimits()) -> None:
        self._sessions = sessions
        self._limits = limits
        self._lock = threading.Lock()

    def begin(self, username: str, address: str, now: Optional[dt.datetime] = None) -> Decision:
        """Take a slot for one attempt, or refuse it because a limit is reached."""
        now = now or utc_now()
        key, limits = account_key(username), self._limits
        checks = (("account and address", limits.account_and_address,
                   (LoginFailure.account_key == key, LoginFailure.address == address)),
                  ("account", limits.account, (LoginFailure.account_key == key,)),
                  ("address", limits.address, (LoginFailure.address == address,)))
        longest = max(limits.account_and_address.window, limits.account.window,
                      limits.address.window)
        with self._lock, self._sessions.begin() as session:
            session.execute(delete(LoginFailure).where(LoginFailure.at < now - longest))
            for name, limit, conditions in checks:
                since = now - limit.window
                count = session.scalar(select(func.count(LoginFailure.id)).where(
                    *conditions, LoginFailure.at >= since))
                if count >= limit.failures:
                    times: List[dt.datetime] = list(session.scalars(
                        select(LoginFailure.at).where(*conditions, LoginFailure.at >= since)
                        .order_by(LoginFailure.at).limit(count - limit.failures + 1)))
                    frees_at = times[-1] + limit.window
                    return Decision(None, name, max(1, int((frees_at - now).total_seconds()) + 1))
            failure = LoginFailure(account_key=key, address=address[:64], at=now)
            session.add(failure)
            session.flush()
            return Decision(failure.id)

    def succeeded(self, decision: Decision, username: str, address: str) -> None:
        """The password was right: forget this attempt and this pair's earlier failures."""
        with self._lock, self._sessions.begin() as session:
            session.execute(delete(LoginFailure).where(
                (LoginFailure.id == decision.attempt_id)
                | ((LoginFailure.account_key == account_key(username))
                   & (LoginFailure.address == address[:64]))))
