"""Totals, days, intents, red flags and handoffs from a small hand-made events table."""

from __future__ import annotations

from datetime import date, timezone
from zoneinfo import ZoneInfo

import pytest

from clinic_assistant.reporting import statistics
from clinic_assistant.reporting.tracker_events import read_user_messages, sqlite_url

from .conftest import EventsTable, at


@pytest.fixture
def messages(events_table: EventsTable):
    t = events_table
    t.session("anna", at(1, 9))
    t.user("anna", "hello", "greet", at(1, 9, 1))
    t.user("anna", "what's the wifi password", "nlu_fallback", at(1, 9, 2))
    t.user("anna", "/none_of_these", "none_of_these", at(1, 9, 3))
    t.user("anna", "I want to talk to a real person", "request_human", at(1, 9, 4))
    t.session("ben", at(1, 23, 30))
    t.user("ben", "I can't feel my legs and can't pee", "red_flag_symptoms", at(1, 23, 31))
    t.user("ben", "can you recommend a pizza place", "out_of_scope", at(2, 0, 10))
    t.session("anna", at(3, 9))
    t.user("anna", "/book_consultation", "book_consultation", at(3, 9, 1))
    t.user("anna", "what is a herniated disc", "faq_herniated_disc", at(3, 9, 2))
    return read_user_messages(sqlite_url(t.path))


def test_totals(messages):
    totals = statistics.totals(messages)
    assert totals == statistics.Totals(
        conversations=3, patients=2, user_messages=8, fallback=1, clarification_misses=1,
        out_of_scope=1, red_flags=1, handoffs=2,
    )
    assert totals.unanswered == 3


def test_per_day_counts_each_conversation_on_its_first_day_and_fills_gaps(messages):
    rows = statistics.per_day(messages, timezone.utc)
    assert rows == [
        statistics.DayRow(date(2026, 3, 1), 2, 5, 2, 1, 1),
        statistics.DayRow(date(2026, 3, 2), 0, 1, 1, 0, 0),
        statistics.DayRow(date(2026, 3, 3), 1, 2, 0, 0, 1),
    ]
    assert sum(r.user_messages for r in rows) == 8 and sum(r.conversations for r in rows) == 3


def test_days_are_counted_in_the_given_time_zone(messages):
    rows = statistics.per_day(messages, ZoneInfo("America/Chicago"))  # UTC-6 in March
    assert [(r.day, r.user_messages) for r in rows] == [
        (date(2026, 3, 1), 6), (date(2026, 3, 2), 0), (date(2026, 3, 3), 2),
    ]


def test_intents_most_frequent_first(events_table):
    for minute, intent in enumerate(["greet", "faq_cost", "faq_cost", "thank", "faq_cost",
                                     "greet"]):
        events_table.user("cleo", "text", intent, at(1, 10, minute))
    messages = read_user_messages(sqlite_url(events_table.path))
    assert statistics.intent_counts(messages) == [("faq_cost", 3), ("greet", 2), ("thank", 1)]


def test_red_flags_and_handoffs(messages):
    assert [m.text for m in statistics.red_flags(messages)] == [
        "I can't feel my legs and can't pee"]
    assert statistics.handoffs(messages) == [
        statistics.HandoffRow("request_human", 1, 1),
        statistics.HandoffRow("book_consultation", 1, 1),
        statistics.HandoffRow("request_callback", 0, 0),
    ]


def test_a_yes_to_the_warning_signs_that_got_the_advice_counts_as_a_red_flag(events_table):
    t = events_table
    t.session("cleo", at(4, 9))
    t.user("cleo", "ten days of terrible pain, nothing helps", "nlu_fallback", at(4, 9, 1))
    t.user("cleo", "yes", "affirm", at(4, 9, 2))
    t.add("cleo", "slot", at(4, 9, 2) + 0.15, {"name": "red_flag_raised", "value": True})
    t.user("cleo", "yes", "affirm", at(4, 9, 3))  # a later "yes" the advice did not answer
    messages = read_user_messages(sqlite_url(t.path))
    assert [(m.text, m.timestamp) for m in statistics.red_flags(messages)] == [("yes", at(4, 9, 2))]
    assert statistics.totals(messages).red_flags == 1
    assert [d.red_flags for d in statistics.per_day(messages, timezone.utc)] == [1]


def test_no_messages_give_zeros_and_no_days():
    assert statistics.totals([]).conversations == 0
    assert statistics.per_day([], timezone.utc) == []
    assert [h.messages for h in statistics.handoffs([])] == [0, 0, 0]
