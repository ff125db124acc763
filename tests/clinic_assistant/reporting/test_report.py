"""The report is computed from redacted messages: no phone number or email reaches it."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from clinic_assistant.reporting.report import build_report
from clinic_assistant.reporting.tracker_events import read_user_messages, sqlite_url

from .conftest import at


def test_texts_are_redacted_and_senders_stay_apart_but_are_never_shown(events_table, encode):
    t = events_table
    t.user("+44 7700 900123", "call me on 07700 900123", "nlu_fallback", at(1, 9))
    t.user("+44 7700 900456", "my legs are numb, jane@example.com", "red_flag_symptoms",
           at(1, 10))
    report = build_report(read_user_messages(sqlite_url(t.path)), encode=encode,
                          tz=timezone.utc, generated_at=datetime(2026, 3, 2, tzinfo=timezone.utc))
    assert report.totals.conversations == 2 and report.totals.patients == 2
    assert report.unanswered[0].texts == ("call me on [phone]",)
    [flag] = report.red_flags
    assert flag.text == "my legs are numb, [email]"
    assert re.fullmatch(r"C-[0-9a-f]{8}", flag.conversation), "a short reference, not the id"
    assert report.first_day == report.last_day == datetime(2026, 3, 1).date()


def test_a_yes_that_got_the_emergency_advice_is_listed_as_a_reply_to_the_warning_signs(
        events_table, encode):
    t = events_table
    t.user("dana", "ten days of awful pain, nothing helps", "nlu_fallback", at(1, 9))
    t.user("dana", "yes", "affirm", at(1, 9, 1))
    t.add("dana", "slot", at(1, 9, 1) + 0.15, {"name": "red_flag_raised", "value": True})
    report = build_report(read_user_messages(sqlite_url(t.path)), encode=encode,
                          tz=timezone.utc, generated_at=datetime(2026, 3, 2, tzinfo=timezone.utc))
    [flag] = report.red_flags
    assert flag.text == "yes (a reply to the warning signs)"
    assert report.totals.red_flags == 1
