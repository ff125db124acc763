"""Helpers for the console's browser tests: a signed-in page, a stored call-back request, and
moving keyboard focus with Tab only."""

from __future__ import annotations

import contextlib
import re
import uuid
from typing import Iterator, Tuple

from playwright.sync_api import Locator, Page, expect

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
TIMEOUT_MS = 20_000


@contextlib.contextmanager
def signed_in(browser, assistant, username: str, name: str, password: str,
              viewport=DESKTOP) -> Iterator[Page]:
    """The console in its own browser context, signed in through the login page."""
    assistant.add_staff(username, name, password)
    context = browser.new_context(viewport=viewport, accept_downloads=True)
    page = context.new_page()
    page.dialogs = []
    page.answers = []

    def answer(dialog):
        page.dialogs.append(dialog.message)
        dialog.accept() if page.answers and page.answers.pop(0) else dialog.dismiss()

    page.on("dialog", answer)
    page.goto(assistant.console_url)
    expect(page).to_have_url(re.compile(r"/login$"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#me")).to_have_text(name)
    try:
        yield page
    finally:
        context.close()
        assistant.sign_out_all_staff()


def new_patient(prefix: str) -> str:
    """A conversation id of its own."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def request_callback(assistant, patient: str, name: str) -> Tuple[int, str]:
    """Fill in the call-back form over REST and consent; (handoff number, reference)."""
    for text in ("/request_callback", name, f"{patient}@example.com", "weekday mornings",
                 "a question about the injection", "/affirm"):
        assistant.say(patient, text)
    rows = assistant.handoff_rows(
        "SELECT h.id, c.reference FROM callback_requests c JOIN handoffs h ON h.id = c.handoff_id"
        " WHERE h.conversation_id = ?", patient)
    assert len(rows) == 1, f"no call-back request was stored for {patient}"
    return rows[0]


def ask_for_a_person(assistant, patient: str) -> int:
    """A patient asks for a person over REST; the waiting handoff's number."""
    assistant.say(patient, "I'd like to talk to a person")
    rows = assistant.handoff_rows(
        "SELECT id FROM handoffs WHERE conversation_id = ? AND status = 'waiting'", patient)
    assert len(rows) == 1, f"{patient} is not waiting for a person"
    return rows[0][0]


def is_focused(locator: Locator) -> bool:
    """Whether the (single) element has keyboard focus."""
    return locator.evaluate("node => node === document.activeElement")


def tab_to(page: Page, target: Locator, backwards: bool = False, presses: int = 40) -> int:
    """Press Tab (or Shift+Tab) until `target` has focus; how many presses it took."""
    key = "Shift+Tab" if backwards else "Tab"
    for count in range(1, presses + 1):
        page.keyboard.press(key)
        if target.count() == 1 and is_focused(target):
            return count
    focused = page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")
    raise AssertionError(f"{presses} x {key} never reached {target}; focus is on {focused}")


def wait_for_polls(page: Page, polls: int) -> None:
    """Wait until the page has fetched the overview `polls` more times (one every 2 s), and
    let it draw the last one."""
    for _ in range(polls):
        with page.expect_response(lambda r: r.url.endswith("/api/overview"), timeout=TIMEOUT_MS):
            pass
    page.wait_for_timeout(300)


def close_open_chats(assistant, console: Page) -> None:
    """Close the chats other tests left waiting or active (the browser tests share one
    assistant), and wait until the signed-in `console` shows none of them. Its lists are
    redrawn at each poll, so until then an old chat could pass for the test's patient; the
    second poll after the update was certainly asked for after it."""
    assistant.handoff_rows(
        "UPDATE handoffs SET status = 'closed', outcome = 'closed_by_staff', "
        "closed_at = CURRENT_TIMESTAMP WHERE status IN ('waiting', 'active')")
    wait_for_polls(console, 2)
    expect(console.locator("#waiting .item, #active .item")).to_have_count(0)
