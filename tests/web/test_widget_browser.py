"""The chat widget on the demo clinic page, in a real browser, against the real assistant."""

from __future__ import annotations

import os
import re
from typing import Optional

import pytest
from playwright.sync_api import Page, expect

from clinic_assistant.stack.assistant import start_demo_page
from clinic_assistant.stack.processes import free_port, wait_until_up

pytestmark = pytest.mark.e2e

LOG = ".clinic-chat__log"
BOT = ".clinic-chat__message--bot"
REPLY_TIMEOUT_MS = 20_000
#: The screens a test is shown on, named as its screenshots are.
SCREENS = [pytest.param({"width": 1280, "height": 800}, id="desktop"),
           pytest.param({"width": 375, "height": 740}, id="phone")]
#: The launcher's visible text, which is also its accessible name.
LAUNCHER = "Questions? Chat with us"


def open_chat(page: Page, url: str) -> None:
    page.goto(url)
    page.get_by_role("button", name=LAUNCHER).click()
    expect(page.locator("#clinic-chat-input")).to_be_focused()


def open_greeted_chat(page: Page, url: str, content, screen: Optional[dict] = None) -> None:
    """Open the chat (on a screen of this size, if given) and wait for the greeting's last
    message, the disclaimer."""
    if screen is not None:
        page.set_viewport_size(screen)
    open_chat(page, url)
    expect_bot_text(page, content.message("disclaimer"))


def ask(page: Page, text: str) -> None:
    page.locator("#clinic-chat-input").fill(text)
    page.locator("#clinic-chat-input").press("Enter")


def expect_bot_text(page: Page, text: str) -> None:
    expect(page.locator(BOT).filter(has_text=text[:60]).last).to_be_visible(timeout=REPLY_TIMEOUT_MS)


def test_greeting_faq_buttons_reload_and_phone_layout(page, assistant, content, screenshot_dir):
    open_chat(page, assistant.demo_url)
    expect_bot_text(page, content.message("welcome"))
    expect_bot_text(page, content.message("disclaimer"))
    expect(page.locator(BOT).filter(has_text=content.message("welcome")[:60])).to_have_count(1)

    ask(page, "what actually is a slipped disc?")
    answer = content.answers["faq_herniated_disc"]
    expect_bot_text(page, content.render(answer.answer))
    follow_up = content.answers[answer.follow_ups[0]]
    button = page.get_by_role("button", name=follow_up.title).last
    expect(button).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "desktop-faq-answer.png"))

    button.click()
    expect(page.locator(".clinic-chat__message--user").last).to_have_text(re.compile(follow_up.title))
    expect_bot_text(page, content.render(follow_up.answer))
    link = page.locator(f"{BOT} a").first
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("href", re.compile(r"^https?://"))

    page.reload()
    page.get_by_role("button", name=LAUNCHER).click()
    expect(page.locator(BOT).filter(has_text=content.render(answer.answer)[:60])).to_have_count(1)
    ask(page, "and what are the risks of the stem cell injection?")
    expect_bot_text(page, content.render(content.answers["faq_risks"].answer))

    page.set_viewport_size({"width": 375, "height": 740})
    panel_box = page.locator("#clinic-chat-panel").bounding_box()
    assert panel_box is not None and panel_box["x"] >= 0 and panel_box["width"] <= 375
    page.screenshot(path=str(screenshot_dir / "phone-conversation.png"))


def test_an_answer_shows_short_sources_with_the_full_list_one_tap_away(page, assistant, content,
                                                                      screenshot_dir):
    from actions.faq import link_safe, sources_line

    open_greeted_chat(page, assistant.demo_url, content, {"width": 375, "height": 740})
    ask(page, "is stem cell therapy for discs approved by the FDA")
    answer = content.answers["faq_regulation"]
    expect_bot_text(page, content.render(answer.answer))
    line = page.locator(BOT).filter(has_text=sources_line(content, answer)).last
    expect(line).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    links = line.locator(".clinic-chat__sources a")
    expect(links.first).to_be_hidden()  # folded away until asked for
    summary = line.get_by_text("Show sources", exact=True)
    expect(summary).to_be_visible()
    line.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "phone-answer-sources-folded.png"))

    summary.click()
    expect(links).to_have_count(len(answer.sources))
    for index, source in enumerate(answer.sources):
        link = links.nth(index)
        expect(link).to_be_visible()
        expect(link).to_contain_text(source.label)
        expect(link).to_have_attribute("href", link_safe(source.url))
        expect(link).to_have_attribute("target", "_blank")
        expect(link).to_have_attribute("rel", "noopener noreferrer")
    # the address with brackets is one link, not cut at the ")"
    expect(links.filter(has_text="Cell Stem Cell")).to_have_attribute(
        "href", re.compile(r"S1934-5909%2821%2900420-3$"))
    panel_box = page.locator("#clinic-chat-panel").bounding_box()
    assert panel_box is not None and panel_box["width"] <= 375
    line.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "phone-answer-sources.png"))

    page.reload()
    page.get_by_role("button", name=LAUNCHER).click()
    restored = page.locator(BOT).filter(has_text=sources_line(content, answer)).last
    expect(restored.locator(".clinic-chat__sources a")).to_have_count(len(answer.sources))


def session_id(page: Page) -> str:
    """The widget's socket session id (Rasa's sender id), from its localStorage entry."""
    return page.evaluate("""() => {
        const key = Object.keys(localStorage).find(k => k.startsWith("clinic-chat:"));
        return JSON.parse(localStorage.getItem(key)).sessionId;
    }""")


def test_rating_an_answer_not_helpful(page, assistant, content, screenshot_dir):
    open_greeted_chat(page, assistant.demo_url, content)
    ask(page, "how much does the treatment cost")
    expect_bot_text(page, content.render(content.answers["faq_cost"].answer))

    row = page.get_by_role("group", name="Was this helpful?").last
    helpful = row.get_by_role("button", name=content.feedback_titles["helpful"], exact=True)
    not_helpful = row.get_by_role("button", name=content.feedback_titles["unhelpful"], exact=True)
    expect(helpful).to_be_enabled()
    not_helpful.click()
    expect(not_helpful).to_be_disabled()
    expect(helpful).to_be_disabled()
    expect(not_helpful).to_have_attribute("aria-pressed", "true")
    unhelpful = content.feedback_titles["unhelpful"]
    expect(row).to_contain_text(f"You said: {unhelpful}")
    expect(page.locator(".clinic-chat__message--user").last).to_have_text(
        re.compile(re.escape(unhelpful)))
    expect_bot_text(page, content.message("feedback_sorry"))
    person = content.button_title("request_human")
    expect(page.locator(BOT).last.get_by_role("button", name=person)).to_be_enabled()
    page.screenshot(path=str(screenshot_dir / "desktop-rating.png"))

    events = assistant.tracker(session_id(page))["events"]
    ratings = [e["parse_data"] for e in events
               if e["event"] == "user" and e["parse_data"]["intent"]["name"] == "feedback"]
    assert [{e["entity"]: e["value"] for e in r["entities"]} for r in ratings] == [
        {"rating": "unhelpful", "topic": "faq_cost"}
    ]


def start_is_in_view(page: Page, locator) -> bool:
    """Whether the top of the element is inside the visible part of the conversation log."""
    log, box = page.locator(LOG).bounding_box(), locator.bounding_box()
    assert log is not None and box is not None
    return log["y"] <= box["y"] < log["y"] + log["height"] - 20


def expect_alert(page: Page, content, text: str):
    """The emergency-kind message holding `text`: shown as an alert, "Urgent", with the number
    as a call link, and read from its start; returns its locator."""
    alert = page.locator(".clinic-chat__message--emergency")
    expect(alert).to_contain_text(text[:60], timeout=REPLY_TIMEOUT_MS)
    expect(alert).to_have_attribute("role", "alert")
    expect(alert).to_contain_text("Urgent")
    number = content.clinic.emergency_number
    expect(alert.get_by_role("link", name=number)).to_have_attribute("href", f"tel:{number}")
    assert start_is_in_view(page, alert), "the alert is in view, not scrolled past"
    return alert


@pytest.mark.parametrize("screen", SCREENS)
def test_emergency_advice_is_shown_as_an_alert_from_its_start(page, assistant, content,
                                                              screenshot_dir, screen, request):
    open_greeted_chat(page, assistant.demo_url, content, screen)
    welcome = page.locator(BOT).filter(has_text=content.message("welcome")[:60])
    assert start_is_in_view(page, welcome), "the welcome is read from its first line"

    ask(page, "what are the risks of the stem cell injection?")
    answer = page.locator(BOT).filter(has_text=content.render(content.answers["faq_risks"].answer)[:60])
    expect(answer).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    expect(page.locator(BOT).last.get_by_role("group", name="Was this helpful?")).to_be_visible()
    assert start_is_in_view(page, answer), "a long answer is read from its start"

    ask(page, "I suddenly can't control my bladder and my legs feel numb")
    expect_bot_text(page, content.message("emergency_follow_up"))
    expect_alert(page, content, content.message("emergency_advice"))
    assert page.locator(".clinic-chat__message--emergency").count() == 1
    page.screenshot(path=str(screenshot_dir / f"{request.node.callspec.id}-emergency.png"))

    page.get_by_role("button", name=content.button_title("clinic_info")).last.click()
    expect(page.locator("#clinic-chat-input")).to_be_focused()  # not the page body


#: A vague question patients ask: how long the recovery, the procedure or the effect takes?
UNCLEAR = "how long"


@pytest.mark.parametrize("screen", SCREENS)
def test_did_you_mean_buttons_fit_the_panel_and_answer_when_picked(page, assistant, content,
                                                                   screenshot_dir, screen, request):
    from actions.clarification import MAX_CANDIDATES

    open_greeted_chat(page, assistant.demo_url, content, screen)
    ask(page, UNCLEAR)
    expect_bot_text(page, content.message("clarify"))
    group = page.get_by_role("group", name="Suggested replies").last
    buttons = group.get_by_role("button")
    titles = buttons.all_inner_texts()
    assert 2 <= len(titles) <= MAX_CANDIDATES + 1
    assert titles[-1] == content.button_title("none_of_these")
    panel = page.locator("#clinic-chat-panel").bounding_box()
    assert panel is not None
    for index in range(len(titles)):
        box = buttons.nth(index).bounding_box()
        assert box is not None and panel["x"] <= box["x"]
        assert box["x"] + box["width"] <= panel["x"] + panel["width"], titles[index]
    page.screenshot(path=str(screenshot_dir / f"{request.node.callspec.id}-did-you-mean.png"))

    answer = next(a for a in content.answers.values() if a.title == titles[0])
    buttons.first.click()
    expect_bot_text(page, content.render(answer.answer))


@pytest.mark.parametrize("screen", SCREENS)
def test_an_unsure_red_flag_shows_the_advice_as_an_alert_then_its_topics(
        page, assistant, content, screenshot_dir, screen, request):
    from tests.e2e.test_conversations import UNSURE_PAIN_STORY

    open_greeted_chat(page, assistant.demo_url, content, screen)
    ask(page, UNSURE_PAIN_STORY)
    expect_bot_text(page, content.message("possible_emergency_topics"))
    expect_bot_text(page, content.message("emergency_follow_up"))
    expect_alert(page, content, content.message("emergency_advice"))
    topics = page.locator(BOT).filter(has_text=content.message("possible_emergency_topics")[:40])
    buttons = topics.get_by_role("group", name="Suggested replies").get_by_role("button")
    expect(buttons.last).to_have_text(content.button_title("none_of_these"))
    page.screenshot(path=str(screenshot_dir / f"{request.node.callspec.id}-unsure-red-flag.png"))


@pytest.mark.parametrize("screen", SCREENS)
def test_the_warning_signs_come_as_an_alert_before_did_you_mean(
        page, assistant, content, screenshot_dir, screen, request):
    from tests.e2e.test_conversations import UNPLACED_WITH_A_RED_FLAG

    open_greeted_chat(page, assistant.demo_url, content, screen)
    ask(page, UNPLACED_WITH_A_RED_FLAG)
    expect_bot_text(page, content.message("clarify"))
    expect_alert(page, content, content.message("possible_emergency"))
    page.screenshot(path=str(screenshot_dir / f"{request.node.callspec.id}-possible-emergency.png"))


def test_markup_is_shown_as_text_and_never_runs(page, assistant, screenshot_dir):
    open_chat(page, assistant.demo_url)
    message = "<img src=x onerror=alert(1)> <b>bold</b>"
    ask(page, message)
    expect(page.locator(".clinic-chat__message--user").last).to_contain_text(message)
    expect(page.locator(BOT).last).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    assert page.locator(f"{LOG} img").count() == 0
    assert page.locator(f"{LOG} b").count() == 0
    assert page.dialogs == []
    page.screenshot(path=str(screenshot_dir / "desktop-markup-as-text.png"))


def test_keyboard_only(page, assistant, content):
    page.goto(assistant.demo_url)
    launcher = page.get_by_role("button", name=LAUNCHER)
    for _ in range(10):
        page.keyboard.press("Tab")
        if launcher.evaluate("node => node === document.activeElement"):
            break
    expect(launcher).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#clinic-chat-input")).to_be_focused()
    page.keyboard.type("how much does it cost")
    page.keyboard.press("Enter")
    expect_bot_text(page, content.render(content.answers["faq_cost"].answer))
    page.keyboard.press("Escape")
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    expect(launcher).to_have_text(LAUNCHER)


def test_no_third_party_requests(page, assistant):
    hosts = set()
    page.on("request", lambda request: hosts.add(re.sub(r"^\w+://([^/]+).*$", r"\1", request.url)))
    open_chat(page, assistant.demo_url)
    expect(page.locator(BOT).first).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    allowed = {assistant.demo_url.split("//")[1], assistant.url.split("//")[1]}
    assert hosts <= allowed, hosts


@pytest.fixture
def page_without_server(project_root, tmp_path):
    """The demo page pointing at an assistant address where no server runs (a stopped one)."""
    port, dead_port = free_port(), free_port()
    demo = start_demo_page(project_root, dict(os.environ), port,
                           f"http://127.0.0.1:{dead_port}", tmp_path / "demo.log")
    wait_until_up(f"http://127.0.0.1:{port}/", demo)
    yield f"http://127.0.0.1:{port}/"
    demo.stop()


def test_unreachable_server_shows_the_phone_number(page, page_without_server, content,
                                                   screenshot_dir):
    open_chat(page, page_without_server)
    notice = page.locator(".clinic-chat__message--notice").first
    expect(notice).to_contain_text("can't reach the assistant", timeout=REPLY_TIMEOUT_MS)
    expect(notice).to_contain_text(content.clinic.phone)
    page.screenshot(path=str(screenshot_dir / "desktop-unreachable.png"))
