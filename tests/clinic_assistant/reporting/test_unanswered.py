"""Unanswered questions are found (clarification misses included) and grouped with counts."""

from __future__ import annotations

import pytest

from clinic_assistant.reporting.tracker_events import read_user_messages, sqlite_url
from clinic_assistant.reporting.unanswered import group_questions, unanswered_questions

from .conftest import EventsTable, at


@pytest.fixture
def messages(events_table: EventsTable):
    t = events_table
    t.user("anna", "what's the wifi password", "nlu_fallback", at(1, 9, 1))
    t.user("anna", "/none_of_these", "none_of_these", at(1, 9, 2))
    t.user("ben", "What's the   WiFi password?", "nlu_fallback", at(1, 10, 1))
    t.user("ben", "how much does it cost", "faq_cost", at(1, 10, 2))
    t.user("ben", "neither of those", "none_of_these", at(1, 10, 3))
    t.user("cleo", "/out_of_scope", "out_of_scope", at(2, 9, 1))
    t.user("cleo", "knee replacement?", "out_of_scope", at(2, 9, 2))
    t.user("cleo", "knee surgery here?", "out_of_scope", at(2, 9, 3))
    t.user("dan", "/none_of_these", "none_of_these", at(2, 10, 1))
    return read_user_messages(sqlite_url(t.path))


def test_fallback_and_out_of_scope_messages_are_unanswered_but_not_buttons(messages):
    found = {u.message.text: u.kinds for u in unanswered_questions(messages)}
    assert found["what's the wifi password"] == {"fallback", "clarification miss"}
    assert found["knee replacement?"] == {"out of scope"}
    assert "/out_of_scope" not in found


def test_a_clarification_miss_counts_against_the_question_typed_before_it(messages):
    found = {u.message.text: u.kinds for u in unanswered_questions(messages)}
    assert found["how much does it cost"] == {"clarification miss"}
    assert "neither of those" not in found and "/none_of_these" not in found


def test_groups_count_messages_conversations_and_kinds_largest_first(messages, encode):
    groups = group_questions(unanswered_questions(messages), encode)
    assert [(g.messages, g.conversations, g.texts) for g in groups] == [
        (2, 2, ("what's the wifi password",)),  # two wordings, one after normalising
        (2, 1, ("knee replacement?", "knee surgery here?")),
        (1, 1, ("how much does it cost",)),
    ]
    assert groups[0].kinds == {"fallback": 2, "clarification miss": 1, "out of scope": 0}
    assert groups[1].kinds == {"fallback": 0, "clarification miss": 0, "out of scope": 2}
    assert groups[0].first_seen == at(1, 9, 1) and groups[0].last_seen == at(1, 10, 1)


def test_the_most_frequent_wording_leads_and_examples_are_capped(events_table, encode):
    for n in range(8):
        events_table.user(f"p{n}", f"parking variant {n % 6}", "nlu_fallback", at(1, 9, n))
    for n in (8, 9):  # variants 0 and 1 were sent twice, 3 now three times
        events_table.user(f"p{n}", "parking variant 3", "nlu_fallback", at(1, 9, 30 + n))
    messages = read_user_messages(sqlite_url(events_table.path))
    [group] = group_questions(unanswered_questions(messages), encode)
    assert group.messages == 10 and group.texts[:3] == (
        "parking variant 3", "parking variant 0", "parking variant 1")
    assert len(group.texts) == 6 and len(group.examples) == 5


def test_only_the_most_frequent_wordings_are_compared_by_meaning(messages, encode):
    """Beyond `limit` distinct wordings, each rarer wording is its own group (and says so)."""
    encoded = []

    def counting_encoder(texts):
        encoded.extend(texts)
        return encode(texts)

    groups = group_questions(unanswered_questions(messages), counting_encoder, limit=1)
    assert encoded == ["what's the wifi password"], "the most frequent wording only"
    assert [(g.texts, g.messages, g.by_meaning) for g in groups] == [
        (("what's the wifi password",), 2, True),
        (("how much does it cost",), 1, False),  # "neither of those" counts against it
        (("knee replacement?",), 1, False),
        (("knee surgery here?",), 1, False),
    ]


def test_a_huge_message_is_shown_shortened_and_encoded_in_part(events_table, encode):
    events_table.user("eve", "where can I park " * 300_000, "nlu_fallback", at(3, 9))
    encoded = []

    def counting_encoder(texts):
        encoded.extend(texts)
        return encode(texts)

    [group] = group_questions(unanswered_questions(read_user_messages(
        sqlite_url(events_table.path))), counting_encoder)
    assert [len(text) for text in encoded] == [2000]
    assert len(group.texts[0]) > 5_000_000 - 100, "unanswered.yml gets the whole wording"
    assert group.examples[0].endswith("…") and len(group.examples[0]) <= 201
