"""The widget's "Delete this conversation" in a real browser against the real assistant:
asks first, works by keyboard, erases on the server (0 rows in every table of both databases)
and in the browser, and says what was deleted; desktop and phone screenshots."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_retention import databases, mentioning, snapshot, tables
from tests.web.test_widget_browser import LAUNCHER, ask, expect_bot_text, open_chat, session_id

pytestmark = pytest.mark.e2e

INFO = ".clinic-chat__message--info"
LOG = ".clinic-chat__log"


def rows_about(assistant, needles):
    return {key: mentioning(rows, needles) for key, rows in snapshot(assistant).items()
            if mentioning(rows, needles)}


def browser_storage(page: Page) -> str:
    return page.evaluate("() => JSON.stringify(Object.assign({}, localStorage))")


def test_delete_by_keyboard_on_desktop(page, assistant, content, screenshot_dir):
    word = "zebra" + uuid.uuid4().hex[:10]
    open_chat(page, assistant.demo_url)
    expect_bot_text(page, content.message("welcome"))
    ask(page, f"what is a herniated disc? I am {word}")
    expect_bot_text(page, content.render(content.answers["faq_herniated_disc"].answer))
    page.locator(".clinic-chat__rate").first.click()
    sid = session_id(page)
    assert rows_about(assistant, [sid, word])
    other_tab = page.context.new_page()  # the same conversation open in a second tab
    open_chat(other_tab, assistant.demo_url)
    expect(other_tab.locator(".clinic-chat__message--user").first).to_contain_text(word)
    others = [row for row in tables(assistant.tracker_db)["events"] if sid not in str(row)]

    # Keyboard only: Tab from Send reaches the control; Escape backs out of the question.
    page.locator(".clinic-chat__send").focus()
    page.keyboard.press("Tab")
    control = page.get_by_role("button", name="Delete this conversation")
    expect(control).to_be_focused()
    page.keyboard.press("Enter")
    question = page.get_by_role("alertdialog")
    expect(question).to_be_visible()
    expect(question).to_contain_text("cannot be undone")
    expect(page.get_by_role("button", name="Keep it")).to_be_focused()
    page.screenshot(path=str(screenshot_dir / "desktop-delete-conversation.png"))
    page.keyboard.press("Escape")
    expect(question).to_be_hidden()
    expect(control).to_be_focused()
    expect(page.locator("#clinic-chat-panel")).to_be_visible()
    assert rows_about(assistant, [sid, word])  # nothing deleted without a yes

    page.keyboard.press("Enter")
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("button", name="Delete", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(INFO).last).to_have_text(re.compile(
        "This conversation was deleted from the clinic's assistant and from this browser"))
    expect(page.locator(".clinic-chat__message--user")).to_have_count(0)
    page.screenshot(path=str(screenshot_dir / "desktop-conversation-deleted.png"))

    assert rows_about(assistant, [sid, word]) == {}
    assert set(others) <= set(tables(assistant.tracker_db)["events"])
    for path in databases(assistant):
        for name in (path, path.with_name(path.name + "-wal")):
            if name.exists():
                assert word.encode() not in name.read_bytes(), name.name
    assert word not in browser_storage(page) and sid not in browser_storage(page)

    # The second tab forgets it too, and cannot write it back into the browser or the server.
    expect(other_tab.locator(INFO).last).to_have_text("This conversation was deleted in another tab or window.")
    expect(other_tab.locator(".clinic-chat__message--user")).to_have_count(0)
    ask(other_tab, "thanks")
    expect(other_tab.locator(".clinic-chat__message--bot").first).to_be_visible(timeout=20_000)
    assert word not in browser_storage(other_tab) and sid not in browser_storage(other_tab)
    assert session_id(other_tab) != sid
    assert rows_about(assistant, [sid, word]) == {}
    other_tab.close()

    # A reload shows only the new conversation the second tab started.
    page.reload()
    page.get_by_role("button", name=LAUNCHER).click()
    expect(page.locator(".clinic-chat__message--user")).to_have_text(["You: thanks"])
    expect(page.locator(LOG)).not_to_contain_text(word)
    assert session_id(page) not in (None, sid)


def test_delete_on_a_phone_also_deletes_the_call_back_request(browser, assistant, content,
                                                              screenshot_dir):
    context = browser.new_context(viewport={"width": 375, "height": 740}, has_touch=True)
    page = context.new_page()
    try:
        word = "zebra" + uuid.uuid4().hex[:10]
        assistant.sign_out_all_staff()
        open_chat(page, assistant.demo_url)
        expect_bot_text(page, content.message("welcome"))
        ask(page, "can someone call me back")
        expect_bot_text(page, content.message("callback_ask_name"))
        for answer, next_key in ((f"Lee {word}", "callback_ask_contact"),
                                 ("+1 555 010 4477", "callback_ask_time"),
                                 ("mornings", "callback_ask_reason"),
                                 ("recovery time", None)):
            ask(page, answer)
            if next_key:
                expect_bot_text(page, content.message(next_key))
        expect(page.get_by_role("button", name=re.compile("Yes", re.I)).last).to_be_visible(timeout=20_000)
        ask(page, "yes")
        expect(page.locator(".clinic-chat__message--bot").filter(has_text="CB-").last).to_be_visible(
            timeout=20_000)
        sid = session_id(page)
        reference = assistant.handoff_rows(
            "SELECT c.reference FROM callback_requests c JOIN handoffs h ON h.id = c.handoff_id "
            "WHERE h.conversation_id = ?", sid)[0][0]

        page.get_by_role("button", name="Delete this conversation").click()
        expect(page.get_by_role("alertdialog")).to_be_visible()
        page.screenshot(path=str(screenshot_dir / "phone-delete-conversation.png"))
        page.get_by_role("button", name="Delete", exact=True).click()
        expect(page.locator(INFO).last).to_contain_text(
            f"Your call-back request {reference} was deleted too, so the clinic will not call you back")
        page.screenshot(path=str(screenshot_dir / "phone-conversation-deleted.png"))
        assert rows_about(assistant, [sid, word, reference]) == {}
        assert word not in browser_storage(page)
    finally:
        context.close()
