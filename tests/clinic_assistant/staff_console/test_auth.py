"""Signing in to the real console app: throttling, a second factor, sessions and cookies.

The app runs on a loopback test server (aiohttp's TestClient) with its own SQLite database;
each failed sign-in is answered after FAILED_LOGIN_DELAY, so the tests send guesses at once.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
import time

import pytest
from aiohttp.test_utils import TestClient

from clinic_assistant.handoff import totp
from clinic_assistant.handoff.records import utc_now
from clinic_assistant.handoff.store import HandoffStore
from clinic_assistant.staff_console.auth import COOKIE, HOST_COOKIE, REFUSED_PAGE
from clinic_assistant.staff_console.settings import ConsoleSettings, Limit, ThrottleLimits
from tests.clinic_assistant.staff_console.conftest import PASSWORD, StartConsole, rows, sign_in

WRONG = "not the right password at all"


@pytest.fixture
def anna(handoff_store: HandoffStore) -> str:
    handoff_store.add_staff("anna", "Anna (nurse)", PASSWORD)
    return "anna"


async def guesses(client: TestClient, count: int, username: str = "anna",
                  password: str = WRONG, forwarded_for: str = "") -> list:
    """Send `count` sign-ins at once; their status codes."""
    replies = await asyncio.gather(*(sign_in(client, username, password,
                                             forwarded_for=forwarded_for) for _ in range(count)))
    return [reply.status for reply in replies]


async def test_the_eleventh_try_is_refused_even_with_the_right_password(
        console: TestClient, anna: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    assert await guesses(console, 10) == [303] * 10
    refused = await sign_in(console, anna, PASSWORD)
    assert refused.status == 429
    assert 890 <= int(refused.headers["Retry-After"]) <= 901
    assert "Too many sign-in attempts" in await refused.text()
    assert await refused.text() == REFUSED_PAGE.read_text(encoding="utf-8")
    assert COOKIE not in {c.key for c in console.session.cookie_jar}
    assert "sign-in refused without checking: account=anna address=127.0.0.1 " \
           "limit=account and address" in caplog.text
    assert WRONG not in caplog.text and PASSWORD not in caplog.text


async def test_guesses_sent_all_at_once_cannot_pass_the_limit(console: TestClient,
                                                              anna: str) -> None:
    """60 wrong passwords at once (the issue's test): 10 checked, 50 refused."""
    statuses = await guesses(console, 60)
    assert statuses.count(303) == 10 and statuses.count(429) == 50


async def test_another_address_behind_a_trusted_proxy_is_still_allowed(
        start_console: StartConsole, console_settings: ConsoleSettings, anna: str,
        handoff_db_url: str) -> None:
    client = await start_console(dataclasses.replace(console_settings,
                                                     trusted_proxies=("127.0.0.1",)))
    assert sorted(await guesses(client, 11, forwarded_for="203.0.113.5")) == [303] * 10 + [429]
    reply = await sign_in(client, anna, PASSWORD, forwarded_for="198.51.100.7, 203.0.113.9")
    assert reply.status == 303 and reply.headers["Location"] == "/"
    assert rows(handoff_db_url, "SELECT address, outcome FROM audit_log WHERE outcome = 'ok'") \
        == [("203.0.113.9", "ok")]


async def test_x_forwarded_for_is_ignored_unless_the_proxy_is_trusted(
        console: TestClient, anna: str, handoff_db_url: str) -> None:
    """By default the socket peer counts: a made-up header does not open a new window."""
    assert await guesses(console, 10, forwarded_for="203.0.113.5") == [303] * 10
    assert (await sign_in(console, anna, PASSWORD, forwarded_for="203.0.113.6")).status == 429
    assert set(rows(handoff_db_url, "SELECT address FROM audit_log")) == {("127.0.0.1",)}


async def test_the_account_limit_holds_across_addresses(
        start_console: StartConsole, console_settings: ConsoleSettings, anna: str) -> None:
    """At most `account` failures per hour from any number of addresses (small limits here)."""
    limits = ThrottleLimits(account_and_address=Limit(2, 15), account=Limit(5, 60),
                            address=Limit(50, 15))
    client = await start_console(dataclasses.replace(
        console_settings, trusted_proxies=("127.0.0.1",), throttle=limits))
    statuses = [status for replies in await asyncio.gather(*(
        guesses(client, 2, forwarded_for=f"203.0.113.{n}") for n in range(4)))
        for status in replies]
    assert statuses.count(303) == 5 and statuses.count(429) == 3
    assert (await sign_in(client, anna, PASSWORD, forwarded_for="198.51.100.1")).status == 429
    other = await sign_in(client, "ben", WRONG, forwarded_for="198.51.100.1")
    assert other.status == 303  # other accounts are not affected


async def test_one_address_trying_many_usernames_is_refused(
        start_console: StartConsole, console_settings: ConsoleSettings) -> None:
    limits = dataclasses.replace(ThrottleLimits(), address=Limit(4, 15))
    client = await start_console(dataclasses.replace(console_settings, throttle=limits))
    replies = await asyncio.gather(*(sign_in(client, f"user{n}", WRONG) for n in range(4)))
    assert [r.status for r in replies] == [303] * 4
    assert (await sign_in(client, "user4", WRONG)).status == 429


async def test_the_counts_survive_a_console_restart(
        start_console: StartConsole, console_settings: ConsoleSettings, anna: str) -> None:
    first = await start_console(console_settings)
    assert await guesses(first, 10) == [303] * 10
    await first.close()
    second = await start_console(console_settings)
    assert (await sign_in(second, anna, PASSWORD)).status == 429


async def test_a_success_clears_the_earlier_failures_of_that_account_and_address(
        console: TestClient, anna: str, handoff_db_url: str) -> None:
    assert await guesses(console, 9) == [303] * 9
    assert (await sign_in(console, anna, PASSWORD)).headers["Location"] == "/"
    assert rows(handoff_db_url, "SELECT COUNT(*) FROM login_failures") == [(0,)]
    assert await guesses(console, 10) == [303] * 10


async def test_the_failure_table_keeps_no_username_or_password(
        console: TestClient, anna: str, handoff_db_url: str) -> None:
    await guesses(console, 3, username="correct-horse-typed-in-username")
    stored = repr(rows(handoff_db_url, "SELECT * FROM login_failures"))
    assert "correct-horse" not in stored and WRONG not in stored


async def test_each_sign_in_gets_a_new_token_and_ends_the_old_one(
        console: TestClient, anna: str, handoff_store: HandoffStore) -> None:
    await sign_in(console, anna, PASSWORD)
    first = console.session.cookie_jar.filter_cookies(console.make_url("/"))[COOKIE].value
    await sign_in(console, anna, PASSWORD)
    second = console.session.cookie_jar.filter_cookies(console.make_url("/"))[COOKIE].value
    assert first != second
    assert handoff_store.session_member(first, utc_now()) is None
    assert handoff_store.session_member(second, utc_now()).username == "anna"


async def test_thirty_idle_minutes_sign_out_and_polling_is_not_activity(
        console: TestClient, anna: str, handoff_db_url: str) -> None:
    reply = await sign_in(console, anna, PASSWORD)
    assert reply.status == 303
    earlier = utc_now() - dt.timedelta(minutes=29)
    rows(handoff_db_url, "UPDATE staff_sessions SET last_active = ?", earlier.isoformat(" "))
    background = {"X-Clinic-Background": "1"}
    assert (await console.get("/api/overview", headers=background)).status == 200
    assert rows(handoff_db_url, "SELECT last_active FROM staff_sessions") == [
        (earlier.isoformat(" "),)]
    assert (await console.get("/api/overview")).status == 200  # a staff action
    assert rows(handoff_db_url, "SELECT last_active FROM staff_sessions")[0][0] > earlier.isoformat(" ")

    long_ago = (utc_now() - dt.timedelta(minutes=31)).isoformat(" ")
    rows(handoff_db_url, "UPDATE staff_sessions SET last_active = ?", long_ago)
    assert (await console.get("/api/overview", headers=background)).status == 401
    assert rows(handoff_db_url, "SELECT COUNT(*) FROM staff_sessions") == [(0,)]


async def test_the_twelve_hour_limit_still_applies(console: TestClient, anna: str,
                                                   handoff_db_url: str) -> None:
    await sign_in(console, anna, PASSWORD)
    cookie = (await sign_in(console, anna, PASSWORD)).cookies[COOKIE]
    assert int(cookie["max-age"]) == 12 * 3600
    rows(handoff_db_url, "UPDATE staff_sessions SET expires_at = ?",
         (utc_now() - dt.timedelta(seconds=1)).isoformat(" "))
    assert (await console.get("/api/overview")).status == 401


async def test_a_password_change_signs_out_every_session(
        start_console: StartConsole, console_settings: ConsoleSettings, anna: str,
        handoff_store: HandoffStore) -> None:
    laptop, desk = await start_console(console_settings), await start_console(console_settings)
    for client in (laptop, desk):
        assert (await sign_in(client, anna, PASSWORD)).status == 303
        assert (await client.get("/api/overview")).status == 200
    handoff_store.add_staff("anna", "Anna (nurse)", "a completely new password")
    for client in (laptop, desk):
        assert (await client.get("/api/overview")).status == 401


async def test_over_https_the_cookie_is_a_host_cookie(
        start_console: StartConsole, console_settings: ConsoleSettings, anna: str) -> None:
    client = await start_console(dataclasses.replace(console_settings, secure_cookie=True))
    reply = await sign_in(client, anna, PASSWORD)
    header = reply.headers["Set-Cookie"]
    assert header.startswith(f"{HOST_COOKIE}=")
    assert "Secure" in header and "Path=/" in header and "Domain" not in header
    assert "HttpOnly" in header and "SameSite=Strict" in header
    token = reply.cookies[HOST_COOKIE].value
    client.session.cookie_jar.clear()
    assert (await client.get("/api/overview", headers={"Cookie": f"{HOST_COOKIE}={token}"})
            ).status == 200
    assert (await client.get("/api/overview", headers={"Cookie": f"{COOKIE}={token}"})
            ).status == 401


async def test_an_account_with_a_second_factor_needs_a_fresh_code(
        console: TestClient, handoff_store: HandoffStore, handoff_db_url: str) -> None:
    secret = totp.new_secret()
    handoff_store.add_staff("ben", "Ben", "ten chars!", totp_secret=secret)
    assert (await sign_in(console, "ben", "ten chars!")).headers["Location"] == "/login?error=1"
    code = totp.code_at(secret, time.time())
    assert (await sign_in(console, "ben", "ten chars!", code)).headers["Location"] == "/"
    assert (await sign_in(console, "ben", "ten chars!", code)).headers["Location"] == \
        "/login?error=1"  # the same code twice
    assert rows(handoff_db_url, "SELECT outcome FROM audit_log ORDER BY id") == [
        ("failed: code missing",), ("ok",), ("failed: wrong code",)]
