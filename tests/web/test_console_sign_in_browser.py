"""Signing in to the console in a real browser: the authenticator code, the background polls
that do not count as activity, the idle time-out, and the page shown after too many attempts."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from playwright.sync_api import expect

from clinic_assistant.handoff import totp
from clinic_assistant.handoff.records import utc_now

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a long staff password for the browser"


@pytest.fixture
def console_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    yield page
    context.close()


def fill_sign_in(page, url: str, username: str, password: str, code: str = "") -> None:
    page.goto(f"{url}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    if code:
        page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Sign in").click()


def test_an_account_with_a_second_factor_signs_in_with_the_apps_code(
        console_page, assistant) -> None:
    enrolled = subprocess.run(
        [sys.executable, "-m", "clinic_assistant.handoff", "--db", assistant.handoff_db_url,
         "add-staff", "hana", "--name", "Hana", "--totp", "--password-stdin"],
        input="ten chars!\n", text=True, check=True, capture_output=True, cwd=ROOT).stdout
    uri = next(word for word in enrolled.split() if word.startswith("otpauth://"))
    secret = parse_qs(urlparse(uri).query)["secret"][0]

    fill_sign_in(console_page, assistant.console_url, "hana", "ten chars!")
    expect(console_page).to_have_url(re.compile(r"/login\?error=1$"))
    expect(console_page.get_by_role("alert")).to_contain_text("password or code do not match")
    fill_sign_in(console_page, assistant.console_url, "hana", "ten chars!",
                 totp.code_at(secret, time.time()))
    expect(console_page.locator("#me")).to_have_text("Hana")


def test_polls_are_background_until_someone_uses_the_page_and_idleness_signs_out(
        console_page, assistant) -> None:
    assistant.add_staff("ivo", "Ivo", PASSWORD)
    polls: list = []
    console_page.on("request", lambda request: polls.append(
        request.headers.get("x-clinic-background")) if request.url.endswith(
        "/api/overview") else None)
    fill_sign_in(console_page, assistant.console_url, "ivo", PASSWORD)
    expect(console_page.locator("#me")).to_have_text("Ivo")
    console_page.wait_for_timeout(4500)
    assert polls[0] is None and polls[1:] and set(polls[1:]) == {"1"}, polls
    idle_since = assistant.handoff_rows(
        "SELECT last_active FROM staff_sessions WHERE username = 'ivo'")
    console_page.wait_for_timeout(2500)
    assert assistant.handoff_rows(
        "SELECT last_active FROM staff_sessions WHERE username = 'ivo'") == idle_since

    polls.clear()
    console_page.mouse.move(300, 300)
    console_page.mouse.move(320, 310)
    console_page.wait_for_timeout(2500)
    assert None in polls, polls  # the poll after the movement counts as activity
    assert assistant.handoff_rows(
        "SELECT last_active FROM staff_sessions WHERE username = 'ivo'") > idle_since

    long_ago = (utc_now() - dt.timedelta(minutes=31)).isoformat(" ")
    assistant.handoff_rows("UPDATE staff_sessions SET last_active = ? WHERE username = 'ivo'",
                           long_ago)
    expect(console_page).to_have_url(re.compile(r"/login\?signed_out=1$"), timeout=10_000)
    expect(console_page.get_by_role("status")).to_contain_text("30 minutes without using")


def test_after_ten_wrong_passwords_the_browser_shows_the_pause_page(
        console_page, assistant) -> None:
    assistant.add_staff("jana", "Jana", PASSWORD)
    for _ in range(10):
        reply = requests.post(f"{assistant.console_url}/login",
                              data={"username": "jana", "password": "wrong password here"},
                              allow_redirects=False, timeout=30)
        assert reply.status_code == 303
    fill_sign_in(console_page, assistant.console_url, "jana", PASSWORD)
    expect(console_page.get_by_role("heading")).to_have_text("Too many sign-in attempts")
    expect(console_page.get_by_role("alert")).to_contain_text("wait 15 minutes")
