"""A whole live handoff in the console with the keyboard only (Tab, Shift+Tab, Enter, Space, typing;
no pointer event reaches the console page), while a patient chats in the widget: sign in, open
the waiting chat, take it, reply, hand back. Real browser, real servers."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.web.console_pages import DESKTOP, TIMEOUT_MS, close_open_chats, is_focused, tab_to
from tests.web.test_widget_browser import ask, expect_bot_text, open_chat

pytestmark = pytest.mark.e2e
PASSWORD = "a long staff password for keys"
COUNT_POINTER_EVENTS = """
window.__pointerEvents = 0;
for (const name of ["pointerdown", "mousedown", "touchstart"]) {
  window.addEventListener(name, () => { window.__pointerEvents += 1; }, true);
}
"""


@pytest.fixture
def keyboard_console(browser, assistant):
    """A fresh console page (not signed in) that counts pointer events."""
    assistant.add_staff("kim", "Kim (nurse)", PASSWORD)
    context = browser.new_context(viewport=DESKTOP)
    context.add_init_script(COUNT_POINTER_EVENTS)
    page = context.new_page()
    yield page
    context.close()
    assistant.sign_out_all_staff()


def test_a_whole_handoff_with_the_keyboard_only(page, keyboard_console, assistant, content):
    staff = keyboard_console
    staff.goto(assistant.console_url)
    expect(staff).to_have_url(re.compile(r"/login$"))
    expect(staff.get_by_label("Username")).to_be_focused()
    staff.keyboard.type("kim")
    staff.keyboard.press("Tab")
    expect(staff.get_by_label("Password")).to_be_focused()
    staff.keyboard.type(PASSWORD)
    tab_to(staff, staff.get_by_role("button", name="Sign in"))
    staff.keyboard.press("Enter")
    expect(staff.locator("#me")).to_have_text("Kim (nurse)")

    close_open_chats(assistant, staff)
    open_chat(page, assistant.demo_url)
    expect_bot_text(page, content.message("disclaimer"))
    ask(page, "can I speak to a human please")
    expect_bot_text(page, content.message("handoff_waiting"))

    waiting = staff.locator("#waiting .item")
    expect(waiting).to_have_count(1, timeout=TIMEOUT_MS)
    tab_to(staff, waiting.first)
    staff.keyboard.press("Enter")
    transcript = staff.get_by_role("log", name="Conversation with the patient")
    expect(transcript).to_contain_text("can I speak to a human please", timeout=TIMEOUT_MS)
    expect(waiting.first).to_be_focused()  # side by side, focus stays in the list
    number = int(re.search(r"#(\d+)", staff.locator(".detail__meta").inner_text()).group(1))

    tab_to(staff, staff.get_by_role("button", name="Take this chat"))
    staff.keyboard.press("Space")
    status = staff.get_by_role("status")
    expect(status).to_have_text(
        f"You took handoff #{number}. The patient has been told you joined.", timeout=TIMEOUT_MS)
    reply = staff.get_by_label("Your reply to the patient")
    expect(reply).to_be_focused()  # the button that was pressed is gone; focus goes on
    joined = content.message("staff_joined", name="Kim (nurse)")
    expect(page.locator(".clinic-chat__message--info").filter(has_text=joined)).to_be_visible(
        timeout=TIMEOUT_MS)

    staff.keyboard.type("Hello, this is Kim. I am typing this with the keyboard only.")
    staff.keyboard.press("Enter")
    expect(status).to_have_text(f"Reply sent to the patient (handoff #{number}).",
                                timeout=TIMEOUT_MS)
    staff_message = page.locator(".clinic-chat__message--staff").last
    expect(staff_message).to_contain_text("I am typing this with the keyboard only.",
                                          timeout=TIMEOUT_MS)
    expect(staff_message).to_contain_text("Kim (nurse) (clinic team)")
    assert is_focused(reply)

    # The transcript is a focusable region, reached with the keyboard on the way back.
    tab_to(staff, transcript, backwards=True)
    tab_to(staff, staff.get_by_role("button", name="Hand back to the assistant"), backwards=True)
    staff.keyboard.press("Enter")
    expect(status).to_have_text(f"Handoff #{number} handed back to the assistant.",
                                timeout=TIMEOUT_MS)
    expect(staff.locator("#detail h2")).to_be_focused()
    handed_back = content.message("staff_handed_back", name="Kim (nurse)")
    expect(page.locator(".clinic-chat__message--info").filter(has_text=handed_back)).to_be_visible(
        timeout=TIMEOUT_MS)
    expect(staff.locator("#waiting .item, #active .item")).to_have_count(0, timeout=TIMEOUT_MS)
    assert staff.evaluate("() => window.__pointerEvents") == 0
