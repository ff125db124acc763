"""Live takeover in two real browsers: a patient in the widget, a staff member in the console."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.web.console_pages import close_open_chats, signed_in

from tests.web.test_widget_browser import ask, expect_bot_text, open_chat

pytestmark = pytest.mark.e2e
PASSWORD = "a long staff password"
STAFF_TIMEOUT_MS = 20_000


@pytest.fixture
def staff_page(browser, assistant):
    """The console in its own browser context, signed in as Anna through the login page."""
    with signed_in(browser, assistant, "anna.b", "Anna (nurse)", PASSWORD) as page:
        yield page


def test_patient_reaches_staff_who_reply_and_hand_back(page, staff_page, assistant, content,
                                                       screenshot_dir):
    close_open_chats(assistant, staff_page)
    open_chat(page, assistant.demo_url)
    expect_bot_text(page, content.message("disclaimer"))
    ask(page, "can I speak to a human please")
    expect_bot_text(page, content.message("handoff_waiting"))
    banner = page.locator(".clinic-chat__handoff")
    expect(banner).to_contain_text("Waiting for a member of our team")

    waiting = staff_page.locator("#waiting .item")
    expect(waiting).to_have_count(1, timeout=STAFF_TIMEOUT_MS)
    expect(staff_page).to_have_title(re.compile(r"^\(1 waiting\) Staff console$"))
    waiting.first.click()
    transcript = staff_page.locator(".transcript")
    expect(transcript).to_contain_text("can I speak to a human please", timeout=STAFF_TIMEOUT_MS)

    ask(page, "are you there? <img src=x onerror=alert(1)>")
    expect(transcript).to_contain_text("are you there? <img src=x onerror=alert(1)>",
                                       timeout=STAFF_TIMEOUT_MS)
    expect(transcript.locator("img")).to_have_count(0)

    staff_page.get_by_role("button", name="Take this chat").click()
    joined = content.message("staff_joined", name="Anna (nurse)")
    expect(page.locator(".clinic-chat__message--info").filter(has_text=joined)).to_be_visible(
        timeout=STAFF_TIMEOUT_MS)
    expect(banner).to_contain_text("You are chatting with Anna (nurse)")

    staff_page.get_by_label("Your reply to the patient").fill("Hello, this is Anna. How can I help?")
    staff_page.get_by_role("button", name="Send").click()
    staff_message = page.locator(".clinic-chat__message--staff").last
    expect(staff_message).to_contain_text("Hello, this is Anna. How can I help?",
                                          timeout=STAFF_TIMEOUT_MS)
    expect(staff_message).to_contain_text("Anna (nurse) (clinic team)")

    ask(page, "what would the injection cost me?")
    expect(transcript).to_contain_text("what would the injection cost me?", timeout=STAFF_TIMEOUT_MS)
    page.screenshot(path=str(screenshot_dir / "handoff-patient.png"))
    staff_page.screenshot(path=str(screenshot_dir / "handoff-console.png"))

    staff_page.get_by_role("button", name="Hand back to the assistant").click()
    handed_back = content.message("staff_handed_back", name="Anna (nurse)")
    expect(page.locator(".clinic-chat__message--info").filter(has_text=handed_back)).to_be_visible(
        timeout=STAFF_TIMEOUT_MS)
    expect(banner).to_be_hidden()
    expect(staff_page.locator("#waiting .item, #active .item")).to_have_count(0,
                                                                          timeout=STAFF_TIMEOUT_MS)

    ask(page, "what are the risks of stem cell injections")
    expect_bot_text(page, content.render(content.answers["faq_risks"].answer))
    # While staff were on their way, no "no reply" warning was shown to the patient.
    expect(page.locator(".clinic-chat__message--notice")).to_have_count(0)
    assert page.dialogs == [] and staff_page.dialogs == []
