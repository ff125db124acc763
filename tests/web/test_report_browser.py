"""The staff report as a clinic manager sees it in chromium, on a desktop and on a phone.

The report is made by the real command from a tracker store written by Rasa's SQLTrackerStore,
with a 100,000-character message, a call-back form and a red flag in it. Screenshots are saved
to test-artifacts/screenshots/report-desktop.png and report-phone.png.
"""

from __future__ import annotations

import pytest

from clinic_assistant.reporting.cli import main
from clinic_assistant.reporting.topics import load_topic_names
from benchmarks.rasa_store import (
    START, form_end, form_start, session_start, turn, write_conversations,
)

DAY = 86400.0
LONG = "I have a question about my back and " + "the pain goes down my leg " * 3900
RAW_NAMES = ["nlu_fallback", "out_of_scope", "none_of_these", "faq_", "request_human",
             "red_flag_symptoms", "form_answer"]
SIZES = {"desktop": (1280, 800), "phone": (375, 740)}

pytestmark = pytest.mark.e2e  # a real browser


def conversations():
    """A week of a small clinic: answers, misses, a form, a red flag, ratings."""
    unanswered = ["what's the wifi password", "is there wifi in the waiting room",
                  "can I have the wi-fi password", "where can I park my car",
                  "is there parking at the clinic", "do you treat knee pain", LONG,
                  "can I bring my dog"]
    faqs = [("how much does it cost", "faq_cost"), ("what is a herniated disc",
             "faq_herniated_disc"), ("own cells or donor cells", "faq_autologous_vs_allogeneic"),
            ("is it FDA approved", "faq_regulation")]
    for n in range(24):
        t = START + (n % 6) * DAY + n * 60
        text, intent = faqs[n % len(faqs)]
        events = [*session_start(t), *turn("hello", "greet", t + 1), *turn(text, intent, t + 2),
                  *turn(unanswered[n % len(unanswered)],
                        "out_of_scope" if n % 3 == 0 else "nlu_fallback", t + 3)]
        if n % 5 == 0:
            events += turn("/none_of_these", "none_of_these", t + 4)
        if n % 4 == 1:
            rating = "unhelpful" if n % 8 == 1 else "helpful"
            events += turn("/feedback", "feedback", t + 5, entities=[
                {"entity": "rating", "value": rating}, {"entity": "topic", "value": intent}])
        if n % 6 == 2:
            events += [*turn("can someone call me back", "request_callback", t + 6,
                             after=form_start(t + 6)),
                       *turn("Jane Doe", "nlu_fallback", t + 7),
                       *turn("jane.doe@example.com", "out_of_scope", t + 8),
                       *turn("yes", "affirm", t + 9, after=form_end(t + 9))]
        if n == 7:
            events += turn("I suddenly can't control my bladder and my legs feel numb",
                           "red_flag_symptoms", t + 10)
        if n == 9:
            events += turn("I want to talk to a real person", "request_human", t + 11)
        yield f"widget-{n:02d}-secret", events


@pytest.fixture(scope="module")
def report_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    db = write_conversations(folder / "tracker.db", conversations())
    assert main(["--db", str(db), "--out", str(folder / "out"), "--tz", "UTC",
                 "--handoff-url", f"sqlite:///{folder / 'none.db'}"]) == 0
    return folder / "out" / "report.html"


@pytest.mark.parametrize("device", SIZES)
def test_the_report_reads_well_on_desktop_and_phone(browser, report_file, screenshot_dir,
                                                   device):
    width, height = SIZES[device]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(report_file.as_uri())
    page.screenshot(path=str(screenshot_dir / f"report-{device}.png"), full_page=True)
    seen = page.inner_text("body")
    size = page.evaluate("[document.documentElement.scrollWidth, "
                         "document.documentElement.scrollHeight]")
    widest_cell = page.evaluate(
        "Math.max(...[...document.querySelectorAll('td')].map(c => c.offsetHeight))")
    context.close()
    print(f"\n{device}: page {size[0]} x {size[1]} px, tallest cell {widest_cell} px")
    assert requests == [report_file.as_uri()], "the page loads nothing else"
    assert size[0] <= width, "wide tables scroll inside their own box, not the page"
    assert size[1] < 12_000, "a 100,000-character message cannot make the page huge"
    assert widest_cell < 700
    assert not [name for name in RAW_NAMES if name in seen]
    assert "secret" not in seen and "Jane" not in seen and "example.com" not in seen
    names = load_topic_names()
    assert names("faq_autologous_vs_allogeneic") in seen and names("nlu_fallback") in seen
    assert "the pain goes down my leg …" in seen or "…" in seen
