"""Answers to the call-back form are never unanswered questions and never shown.

The store is written by Rasa's own SQLTrackerStore, with the form's ActiveLoop events as Rasa
records them.
"""

from __future__ import annotations


import pytest

from clinic_assistant.reporting.cli import main
from clinic_assistant.reporting.tracker_events import read_user_messages, sqlite_url

from benchmarks.rasa_store import START, form_end, form_start, session_start, turn, write_conversations

#: What the patient typed into the form: personal details, which no report file may show.
FORM_ANSWERS = ["Jane Doe", "jane.doe@example.com", "tomorrow after 4pm",
                "pain in my left knee since the skiing accident"]
#: Typed into the form too, but a red flag: counted, listed, its text not shown.
RED_FLAG_IN_FORM = "now suddenly I cannot feel my legs"
AFTER_FORM = "what's the wifi password"


@pytest.fixture
def store(tmp_path):
    t = START
    answers = [turn(text, intent, t + 10 + i)
               for i, (text, intent) in enumerate(zip(FORM_ANSWERS, [
                   "nlu_fallback", "out_of_scope", "nlu_fallback", "out_of_scope"]))]
    events = [
        *session_start(t),
        *turn("can someone call me back", "request_callback", t + 1, after=form_start(t + 1)),
        *[event for answer in answers for event in answer],
        *turn(RED_FLAG_IN_FORM, "red_flag_symptoms", t + 20, after=form_end(t + 20)),
        *turn(AFTER_FORM, "nlu_fallback", t + 30),
        # A second call-back that the patient completes: the consent "yes" is in the form.
        *turn("call me back please", "request_callback", t + 40, after=form_start(t + 40)),
        *turn("Jane Doe", "nlu_fallback", t + 41),
        *turn("yes", "affirm", t + 42, after=form_end(t + 42)),
        *turn("thanks", "thank", t + 50),
    ]
    return write_conversations(tmp_path / "tracker.db", [("widget-secret-sid", events)])


def test_messages_between_the_form_start_and_end_are_marked(store):
    marked = [(m.text, m.in_form) for m in read_user_messages(sqlite_url(store))]
    assert marked == [
        ("can someone call me back", False),
        *[(text, True) for text in FORM_ANSWERS],
        (RED_FLAG_IN_FORM, True),
        (AFTER_FORM, False),
        ("call me back please", False), ("Jane Doe", True), ("yes", True),
        ("thanks", False),
    ]


def test_form_answers_are_counted_apart_and_appear_in_no_file(store, tmp_path):
    from clinic_assistant.reporting.topics import load_topic_names

    out = tmp_path / "reports"
    assert main(["--db", str(store), "--out", str(out), "--tz", "UTC",
                 "--handoff-url", f"sqlite:///{tmp_path / 'no-handoffs.db'}"]) == 0
    names = load_topic_names()
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert f"| {names('form_answer')} | 6 |" in summary
    assert f"| Unanswered: {names('nlu_fallback')} | 1 |" in summary
    assert f"| Unanswered: {names('out_of_scope')} | 0 |" in summary
    assert "| Red flags raised | 1 |" in summary
    assert names.form_text_hidden in summary
    for name in ("report.html", "summary.md", "unanswered.yml"):
        text = (out / name).read_text(encoding="utf-8")
        for private in [*FORM_ANSWERS, "Jane", "legs", "widget-secret-sid", "example.com"]:
            assert private not in text, (name, private)
    assert "wifi password" in (out / "unanswered.yml").read_text(encoding="utf-8")
    assert not (tmp_path / "no-handoffs.db").exists(), "the report creates no database"


def test_a_form_opened_before_the_period_still_hides_its_answers(tmp_path):
    events = [*session_start(START),
              *turn("call me back", "request_callback", START + 1, after=form_start(START + 1)),
              *turn("Jane Doe", "nlu_fallback", START + 100),
              *turn("yes", "affirm", START + 101, after=form_end(START + 101)),
              *turn("what's the wifi password", "nlu_fallback", START + 102)]
    store = write_conversations(tmp_path / "tracker.db", [("anna", events)])
    messages = read_user_messages(sqlite_url(store), since=START + 50)
    assert [(m.text, m.in_form, m.session) for m in messages] == [
        ("Jane Doe", True, 1), ("yes", True, 1), ("what's the wifi password", False, 1)]
