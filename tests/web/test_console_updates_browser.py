"""The console's lists and open conversation update in place, in a real browser against the real
servers: keyboard focus, the items' nodes and scroll positions survive the 2-second polls while
new requests arrive; each action is confirmed in the status region; the tab title and a badge
show new call-back requests; touch targets are 44x44 px on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.web.console_pages import (
    DESKTOP,
    PHONE,
    TIMEOUT_MS,
    ask_for_a_person,
    new_patient,
    request_callback,
    signed_in,
    wait_for_polls,
)

pytestmark = pytest.mark.e2e
PASSWORD = "a long staff password for updates"


def item(page, list_id: str, number: int):
    return page.locator(f'#{list_id} li[data-key="h-{number}"] button')


def test_focus_nodes_and_scroll_survive_polls_while_call_backs_arrive(browser, assistant,
                                                                     screenshot_dir):
    for name in ("Earlier One", "Earlier Two"):  # enough requests that the phone page scrolls
        request_callback(assistant, new_patient("cb-earlier"), name)
    with signed_in(browser, assistant, "lena", "Lena (reception)", PASSWORD, PHONE) as console:
        # What was there before this browser's first visit is not new.
        expect(console.locator("#callbacks .item").first).to_be_visible(timeout=TIMEOUT_MS)
        expect(console.locator("#callbacks .item__new:visible")).to_have_count(0)
        expect(console).to_have_title("Staff console")
        first, first_ref = request_callback(assistant, new_patient("cb-one"), "Pat One")
        first_item = item(console, "callbacks", first)
        expect(first_item).to_be_visible(timeout=TIMEOUT_MS)
        # A sound-free cue: the item says "New", the heading has a "1 new" badge, the title too.
        expect(first_item.locator(".item__new")).to_be_visible()
        expect(first_item).to_have_accessible_name(re.compile(rf"^Pat One · {first_ref} New "))
        expect(console.locator("#callbacks-new")).to_have_text("1 new")
        expect(console).to_have_title("(1 new call-back) Staff console")

        first_item.focus()
        console.evaluate("""() => {
            window.__focused = document.activeElement;
            window.__node = document.querySelector('#callbacks li[data-key="h-%d"]');
            const top = window.__focused.getBoundingClientRect().top + window.scrollY;
            const most = document.documentElement.scrollHeight - innerHeight;
            window.scrollTo(0, Math.min(top - 40, most));
        }""" % first)
        scrolled = console.evaluate("() => window.scrollY")
        assert scrolled > 0, "the phone page should scroll for this test to mean anything"

        second, _ = request_callback(assistant, new_patient("cb-two"), "Pat Two")
        expect(item(console, "callbacks", second)).to_be_visible(timeout=TIMEOUT_MS)
        expect(console).to_have_title("(2 new call-backs) Staff console")
        expect(console.locator("#callbacks-new")).to_have_text("2 new")
        wait_for_polls(console, 3)  # at least two full refresh cycles after the arrival

        assert console.evaluate("() => document.activeElement === window.__focused")
        assert console.evaluate("() => window.__node.isConnected && window.__focused.isConnected")
        assert console.evaluate("""() =>
            document.querySelector('#callbacks li[data-key="h-%d"]') === window.__node""" % first)
        assert console.evaluate("() => window.scrollY") == scrolled
        expect(first_item).to_be_focused()

        # Opening it with the keyboard: on a phone the conversation is below the lists, so focus
        # moves to its heading, and stays there; the item is no longer new.
        console.keyboard.press("Enter")
        expect(console.locator("#detail .facts")).to_contain_text(first_ref, timeout=TIMEOUT_MS)
        expect(first_item).to_have_attribute("aria-current", "true")
        expect(first_item.locator(".item__new")).to_be_hidden()
        expect(console).to_have_title("(1 new call-back) Staff console")
        detail_heading = console.locator("#detail h2")
        expect(detail_heading).to_be_focused()
        assert detail_heading.evaluate("n => n.getBoundingClientRect().top >= 0")
        wait_for_polls(console, 2)
        expect(detail_heading).to_be_focused()
        console.screenshot(path=str(screenshot_dir / "console-callback-phone.png"), full_page=True)

        console.get_by_role("button", name="Mark as called back").click()
        expect(console.get_by_role("status")).to_have_text(
            f"Call-back request {first_ref} marked as called back.", timeout=TIMEOUT_MS)
        expect(item(console, "callbacks", first)).to_have_count(0)
        expect(console.locator("#callbacks-heading")).to_be_focused()
        expect(console.locator("#detail")).to_contain_text("Choose a conversation")


def test_the_open_transcript_keeps_focus_and_scroll_while_the_patient_writes(browser, assistant):
    with signed_in(browser, assistant, "lars", "Lars (nurse)", PASSWORD, DESKTOP) as console:
        patient = new_patient("transcript")
        number = ask_for_a_person(assistant, patient)
        item(console, "waiting", number).click()
        expect(console.locator(".detail__meta")).to_have_text(
            f"Handoff #{number} · waiting for a person", timeout=TIMEOUT_MS)
        console.get_by_role("button", name="Take this chat").click()
        expect(console.get_by_role("status")).to_have_text(
            f"You took handoff #{number}. The patient has been told you joined.",
            timeout=TIMEOUT_MS)
        reply = console.get_by_label("Your reply to the patient")
        expect(reply).to_be_focused()
        for count in range(8):
            assistant.say(patient, f"line {count} of a long story about my back")
        log = console.get_by_role("log", name="Conversation with the patient")
        expect(log).to_contain_text("line 7 of a long story", timeout=TIMEOUT_MS)
        expect(log).to_have_attribute("tabindex", "0")
        # At the bottom it follows new lines; scrolled up to read, it stays where it was.
        assert log.evaluate("n => n.scrollHeight - n.scrollTop - n.clientHeight < 24")
        log.evaluate("n => { n.scrollTop = 40; }")
        log.focus()
        console.evaluate("() => { window.__line = document.querySelector('.transcript li'); }")
        assistant.say(patient, "one more thing")
        expect(log).to_contain_text("one more thing", timeout=TIMEOUT_MS)
        wait_for_polls(console, 2)
        assert log.evaluate("n => n.scrollTop") == 40
        expect(log).to_be_focused()
        assert console.evaluate("() => window.__line.isConnected")

        reply.fill("Thanks, I have read everything.")
        reply.press("Enter")
        expect(console.get_by_role("status")).to_have_text(
            f"Reply sent to the patient (handoff #{number}).", timeout=TIMEOUT_MS)
        expect(log).to_contain_text("Thanks, I have read everything.", timeout=TIMEOUT_MS)
        console.get_by_role("button", name="Close chat").click()
        expect(console.get_by_role("status")).to_have_text(
            f"Handoff #{number} closed. The patient has been told.", timeout=TIMEOUT_MS)
        expect(console.locator(".detail__meta")).to_have_text(f"Handoff #{number} · ended")
        expect(console.locator("#detail h2")).to_be_focused()
        expect(item(console, "active", number)).to_have_count(0)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_touch_targets_and_screenshots(browser, assistant, screenshot_dir, viewport):
    name = "phone" if viewport is PHONE else "desktop"
    account = f"tara-{name}"
    with signed_in(browser, assistant, account, "Tara (nurse)", PASSWORD, viewport) as console:
        request_callback(assistant, new_patient("targets-cb"), "Robin Example")
        patient = new_patient("targets")
        number = ask_for_a_person(assistant, patient)
        waiting = item(console, "waiting", number)
        expect(waiting).to_be_visible(timeout=TIMEOUT_MS)
        console.screenshot(path=str(screenshot_dir / f"console-lists-{name}.png"), full_page=True)
        waiting.click()
        console.get_by_role("button", name="Take this chat").click()
        expect(console.get_by_label("Your reply to the patient")).to_be_visible(timeout=TIMEOUT_MS)
        assistant.say(patient, "thank you for joining, my question is about recovery time")
        expect(console.locator(".transcript")).to_contain_text("recovery time", timeout=TIMEOUT_MS)
        console.screenshot(path=str(screenshot_dir / f"console-conversation-{name}.png"),
                           full_page=True)

        targets = console.locator("button:visible, a:visible")
        assert targets.count() >= 8  # sign out, 2+ list items, 4 chat actions, send
        small = []
        for index in range(targets.count()):
            box = targets.nth(index).bounding_box()
            if box["width"] < 44 or box["height"] < 44:
                small.append((targets.nth(index).inner_text(), box))
        assert small == []
        console.get_by_role("button", name="Hand back to the assistant").click()
        expect(console.get_by_role("status")).to_have_text(
            f"Handoff #{number} handed back to the assistant.", timeout=TIMEOUT_MS)
