"""axe-core's WCAG 2.2 A/AA rules in chromium, on a desktop (1280 x 800) and a phone (375 x 740):
the chat widget closed, open, after an answer, with its sources shown and after emergency advice; the staff console's
sign-in page, lists and an open conversation; the HTML report. Every check asserts 0
violations and names each one (rule, element, what to fix). On the phone, every button and link
of the widget is measured: at least 44 x 44 CSS px. Screenshots of the widget's states go to
test-artifacts/screenshots/a11y-<device>-<state>.png.

axe-core is the pinned npm package fetched by scripts/install_axe.sh (docs/accessibility.md).
"""

from __future__ import annotations

import re
import uuid
from typing import Dict, List

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_callback_form import start_form
from tests.web.axe import describe, load_axe_source, run_axe
from tests.web.test_report_browser import report_file  # noqa: F401 - fixture
from tests.web.test_widget_browser import BOT, LAUNCHER, REPLY_TIMEOUT_MS, ask, expect_bot_text

pytestmark = pytest.mark.e2e
DEVICES: Dict[str, Dict[str, int]] = {"desktop": {"width": 1280, "height": 800},
                                      "phone": {"width": 375, "height": 740}}
MIN_TARGET_PX = 44
EMERGENCY = "I suddenly can't control my bladder and my legs feel numb"
PASSWORD = "a long staff password for axe"
TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def axe_source() -> str:
    """The pinned axe.min.js (fetched from the npm registry on first use)."""
    return load_axe_source()


@pytest.fixture(params=list(DEVICES))
def device(request) -> str:
    return request.param


@pytest.fixture
def device_page(browser, device):
    """A fresh browser context of the device's size."""
    context = browser.new_context(viewport=DEVICES[device])
    page = context.new_page()
    yield page
    context.close()


class Audit:
    """Collects what is wrong in each state of a page, so one failure lists them all."""

    def __init__(self, page: Page, source: str, device: str) -> None:
        self.page, self.source, self.device = page, source, device
        self.problems: List[str] = []

    def axe(self, state: str) -> None:
        violations = run_axe(self.page, self.source)
        if violations:
            self.problems.append(describe(violations, f"{self.device}, {state}"))

    def targets(self, state: str, scope: str = ".clinic-chat") -> int:
        """Every visible button and link in `scope` is at least 44 x 44 px; returns how many
        were measured."""
        sizes = self.page.evaluate("""scope => [...document.querySelectorAll(
            scope + ' button, ' + scope + ' a[href]')].map(node => {
              const box = node.getBoundingClientRect();
              return {text: (node.textContent || node.getAttribute('aria-label') || '').trim()
                              .slice(0, 40), cls: node.className,
                      width: box.width, height: box.height};
            }).filter(t => t.width > 0 && t.height > 0)""", scope)
        small = [s for s in sizes if s["width"] < MIN_TARGET_PX or s["height"] < MIN_TARGET_PX]
        for s in small:
            self.problems.append(f"{self.device}, {state}: target {s['cls']} {s['text']!r} is "
                                 f"{s['width']:.0f} x {s['height']:.0f} px (< {MIN_TARGET_PX})")
        return len(sizes)

    def check(self) -> None:
        assert not self.problems, "\n" + "\n".join(self.problems)


def test_the_widget_in_every_state(device_page, device, assistant, content, axe_source,
                                   screenshot_dir):
    page, audit = device_page, Audit(device_page, axe_source, device)
    phone = device == "phone"
    measured: Dict[str, int] = {}

    def state(name: str) -> None:
        audit.axe(name)
        if phone:
            measured[name] = audit.targets(name)
        page.screenshot(path=str(screenshot_dir / f"a11y-{device}-{name}.png"))

    page.goto(assistant.demo_url)
    launcher = page.locator(".clinic-chat__launcher")
    expect(launcher).to_have_accessible_name(LAUNCHER)
    state("closed")

    launcher.click()
    expect(page.locator("#clinic-chat-input")).to_be_focused()
    expect_bot_text(page, content.message("disclaimer"))
    if not phone:  # on a phone the open panel covers the launcher
        expect(launcher).to_have_text("Close chat")
        expect(launcher).to_have_accessible_name("Close chat")
    state("open")

    ask(page, "what are the risks of the stem cell injection?")
    expect_bot_text(page, content.render(content.answers["faq_risks"].answer))
    expect(page.locator(BOT).last.get_by_role("group", name="Was this helpful?")).to_be_visible()
    state("answer")

    page.locator(BOT).last.get_by_text("Show sources", exact=True).click()
    expect(page.locator(BOT).last.locator(".clinic-chat__sources a").first).to_be_visible()
    state("sources")

    page.locator(BOT).last.get_by_role(
        "button", name=content.feedback_titles["helpful"], exact=True).click()
    expect(page.locator("#clinic-chat-input")).to_be_focused()  # not the page's body
    expect_bot_text(page, content.message("feedback_thanks"))
    state("rated")

    ask(page, EMERGENCY)
    advice = page.locator(".clinic-chat__message--emergency")
    expect(advice).to_contain_text(content.message("emergency_advice")[:60],
                                   timeout=REPLY_TIMEOUT_MS)
    expect_bot_text(page, content.message("emergency_follow_up"))
    state("emergency")

    page.get_by_role("button", name="Delete this conversation").click()
    expect(page.get_by_role("button", name="Keep it")).to_be_focused()
    state("delete-question")
    page.get_by_role("button", name="Keep it").click()

    page.get_by_role("button", name=content.button_title("clinic_info")).last.click()
    expect(page.locator("#clinic-chat-input")).to_be_focused()  # not the page's body
    audit.check()
    if phone:
        print(f"\nphone: buttons and links measured per state: {measured}")
        assert measured["emergency"] >= 5, "the emergency state has a call link and buttons"


def sign_in(page: Page, url: str, username: str) -> None:
    page.goto(f"{url}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_the_staff_console(device_page, device, assistant, content, axe_source):
    page, audit = device_page, Audit(device_page, axe_source, device)
    page.goto(f"{assistant.console_url}/login")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    audit.axe("sign-in page")

    page.goto(f"{assistant.console_url}/login?error=1")
    expect(page.get_by_role("alert")).to_be_visible()
    audit.axe("sign-in page with an error")

    patient = f"axe-{uuid.uuid4().hex[:8]}"
    start_form(assistant, content, f"{patient}-callback")  # signs everyone out first
    for answer in ("Sam Jones", "sam.jones@example.com", "weekday mornings",
                   "what the injection costs", "yes"):
        assistant.say(f"{patient}-callback", answer)

    username = f"axe.{device}"
    assistant.add_staff(username, f"Axe tester ({device})", PASSWORD)
    sign_in(page, assistant.console_url, username)
    expect(page.locator("#me")).to_have_text(f"Axe tester ({device})")
    assistant.say(patient, f"my back hurts, I am {patient}")
    assistant.say(patient, "I'd like to talk to a person")
    expect(page.locator("#waiting .item").first).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator("#callbacks .item").first).to_be_visible(timeout=TIMEOUT_MS)
    audit.axe("lists")

    page.locator("#waiting .item").filter(has_text=re.compile(".")).last.click()
    expect(page.locator(".transcript")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_role("button", name="Take this chat")).to_be_visible()
    audit.axe("open conversation")

    page.locator("#callbacks .item").first.click()
    expect(page.get_by_role("button", name="Mark as called back")).to_be_visible(
        timeout=TIMEOUT_MS)
    audit.axe("open call-back request")
    try:
        audit.check()
    finally:
        assistant.sign_out_all_staff()


def test_the_report(browser, report_file, device, axe_source):  # noqa: F811 - fixture
    context = browser.new_context(viewport=DEVICES[device])
    page = context.new_page()
    page.goto(report_file.as_uri())
    audit = Audit(page, axe_source, device)
    audit.axe("report")
    context.close()
    audit.check()


BAD_PAGE = """<!doctype html><html><head><title>Bad on purpose</title></head><body><main>
<img src="data:,"><button></button><p style="color: #aaa; background: #fff">pale text</p>
<button aria-label="Open chat">Questions? Chat with us</button></main></body></html>"""


def test_axe_finds_and_names_the_problems_of_a_bad_page(page, axe_source):
    """The checks above can fail: on a page made wrong on purpose axe reports each problem,
    and the message names the rule and the element."""
    page.set_content(BAD_PAGE)
    violations = run_axe(page, axe_source)
    assert {"html-has-lang", "image-alt", "button-name", "color-contrast",
            "label-content-name-mismatch"} <= {v["id"] for v in violations}
    message = describe(violations, "bad page")
    assert "bad page: image-alt (critical)" in message and "['img']" in message
