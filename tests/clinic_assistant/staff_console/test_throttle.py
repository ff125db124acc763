"""LoginThrottle on a real SQLite file: windows, when a refusal ends, attempts from many threads."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from clinic_assistant.handoff.records import LoginFailure, utc_now
from clinic_assistant.handoff.store import HandoffStore
from clinic_assistant.staff_console.settings import Limit, ThrottleLimits
from clinic_assistant.staff_console.throttle import LoginThrottle

T0 = dt.datetime(2026, 12, 1, 9, 0)


def minutes(n: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=n)


def test_ten_failures_in_fifteen_minutes_then_refused_until_the_oldest_ages_out(
        handoff_store: HandoffStore) -> None:
    throttle = LoginThrottle(handoff_store.session_factory)
    for n in range(10):
        assert throttle.begin("anna", "10.0.0.7", minutes(n)).allowed
    refused = throttle.begin("anna", "10.0.0.7", minutes(10))
    assert refused.refused_by == "account and address"
    assert refused.retry_after_seconds == 5 * 60 + 1  # the first failure (9:00) ages out at 9:15
    assert throttle.begin("anna", "10.0.0.8", minutes(10)).allowed
    assert throttle.begin("ben", "10.0.0.7", minutes(10)).allowed
    assert not throttle.begin("anna", "10.0.0.7", minutes(14.9)).allowed
    assert throttle.begin("anna", "10.0.0.7", minutes(15.01)).allowed


def test_refused_attempts_do_not_extend_the_refusal(handoff_store: HandoffStore) -> None:
    throttle = LoginThrottle(handoff_store.session_factory)
    for _ in range(10):
        throttle.begin("anna", "10.0.0.7", T0)
    for n in range(1, 14):
        assert not throttle.begin("anna", "10.0.0.7", minutes(n)).allowed
    assert throttle.begin("anna", "10.0.0.7", minutes(15.01)).allowed


def test_an_hour_of_guessing_from_many_addresses_stops_at_the_account_limit(
        handoff_store: HandoffStore) -> None:
    throttle = LoginThrottle(handoff_store.session_factory)
    allowed = sum(throttle.begin("anna", f"10.0.{n // 250}.{n % 250}", minutes(n * 0.2)).allowed
                  for n in range(300))  # 300 addresses in an hour, one guess each
    assert allowed == 100
    refused = throttle.begin("anna", "10.9.9.9", minutes(60))
    assert refused.refused_by == "account"


def test_guesses_from_many_threads_at_once_get_exactly_the_limit(
        handoff_store: HandoffStore) -> None:
    throttle = LoginThrottle(handoff_store.session_factory)
    now = utc_now()
    with ThreadPoolExecutor(max_workers=16) as pool:
        decisions = list(pool.map(lambda _: throttle.begin("anna", "10.0.0.7", now), range(64)))
    assert sum(d.allowed for d in decisions) == 10


def test_old_failures_are_deleted(handoff_store: HandoffStore) -> None:
    throttle = LoginThrottle(handoff_store.session_factory, ThrottleLimits(account=Limit(100, 60)))
    throttle.begin("anna", "10.0.0.7", T0)
    throttle.begin("anna", "10.0.0.7", minutes(61))
    with handoff_store.session_factory() as session:
        assert session.scalar(select(func.count(LoginFailure.id))) == 1
