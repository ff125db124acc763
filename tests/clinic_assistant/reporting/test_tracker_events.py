"""User messages are read from Rasa's `events` table, numbered by session."""

from __future__ import annotations

import pytest

from clinic_assistant.reporting.tracker_events import read_user_messages, sqlite_url

from .conftest import EventsTable, at


@pytest.fixture
def table(events_table: EventsTable) -> EventsTable:
    events_table.session("anna", at(1, 9))
    events_table.user("anna", "hello", "greet", at(1, 9, 1))
    events_table.user("anna", "/feedback", "feedback", at(1, 9, 2),
                      entities=[("rating", "helpful"), ("topic", "faq_cost")])
    events_table.session("ben", at(1, 10))
    events_table.user("ben", "what is a herniated disc", "faq_herniated_disc", at(1, 10, 1))
    events_table.session("anna", at(3, 9))
    events_table.user("anna", "thanks", "thank", at(3, 9, 1))
    return events_table


def test_user_messages_come_in_time_order_with_text_intent_and_entities(table):
    messages = read_user_messages(sqlite_url(table.path))
    assert [(m.sender_id, m.text, m.intent) for m in messages] == [
        ("anna", "hello", "greet"),
        ("anna", "/feedback", "feedback"),
        ("ben", "what is a herniated disc", "faq_herniated_disc"),
        ("anna", "thanks", "thank"),
    ]
    assert messages[1].entity("rating") == "helpful" and messages[1].entity("topic") == "faq_cost"
    assert messages[0].entity("rating") is None


def test_each_session_of_a_sender_is_its_own_conversation(table):
    messages = read_user_messages(sqlite_url(table.path))
    assert [m.conversation for m in messages] == [("anna", 1), ("anna", 1), ("ben", 1),
                                                  ("anna", 2)]


def test_messages_can_be_limited_by_time_and_sender(table):
    url = sqlite_url(table.path)
    assert [m.text for m in read_user_messages(url, since=at(2))] == ["thanks"]
    assert {m.sender_id for m in read_user_messages(url, sender_prefix="be")} == {"ben"}
    assert read_user_messages(url, sender_prefix="%") == []


def test_typed_messages_are_told_from_buttons_and_blanks(table):
    messages = read_user_messages(sqlite_url(table.path))
    assert [m.is_typed for m in messages] == [True, False, True, True]


def test_the_intent_column_is_used_when_the_data_has_none(events_table):
    events_table.add("cleo", "user", at(1), {"text": "hi"}, intent="greet")
    assert read_user_messages(sqlite_url(events_table.path))[0].intent == "greet"


def test_a_file_path_with_spaces_is_read_without_changing_the_file(tmp_path):
    table = EventsTable(tmp_path / "my tracker?.db")
    table.user("anna", "hello", "greet", at(1))
    before = table.path.read_bytes()
    assert len(read_user_messages(sqlite_url(table.path))) == 1
    assert table.path.read_bytes() == before


def test_a_missing_file_is_an_error_not_a_new_database(tmp_path):
    with pytest.raises(FileNotFoundError):
        sqlite_url(tmp_path / "nope.db")
    assert not (tmp_path / "nope.db").exists()


def test_erased_call_back_answers_are_not_read_as_questions(events_table: EventsTable):
    from clinic_assistant.privacy.callback_erasure import erased_user_event

    placeholder = "[removed: call-back details, no consent]"
    events_table.session("cara", at(1, 9))
    events_table.user("cara", "what does it cost", "faq_cost", at(1, 9, 1))
    erased = erased_user_event({"parse_data": {"intent": {"name": "nlu_fallback"}}}, placeholder)
    events_table.add("cara", "user", at(1, 9, 2), erased, intent="nlu_fallback")
    messages = read_user_messages(sqlite_url(events_table.path))
    assert [m.text for m in messages] == ["what does it cost"]


def test_answers_typed_into_the_call_back_form_are_not_questions(events_table: EventsTable):
    """With consent the answers stay in the store, but they are contact details: not reported."""
    events_table.session("dan", at(1, 9))
    events_table.user("dan", "/request_callback", "request_callback", at(1, 9, 1))
    events_table.add("dan", "active_loop", at(1, 9, 1) + 0.5, {"name": "callback_form"})
    events_table.user("dan", "Dan Smith", "nlu_fallback", at(1, 9, 2))
    events_table.user("dan", "my legs are numb", "red_flag_symptoms", at(1, 9, 3))
    events_table.add("dan", "active_loop", at(1, 9, 3) + 0.5, {"name": None})
    events_table.user("dan", "what does it cost", "faq_cost", at(1, 9, 4))
    events_table.add("dan", "active_loop", at(1, 9, 5), {"name": "callback_form"})
    events_table.user("dan", "Dan Smith", "nlu_fallback", at(1, 9, 6))
    events_table.session("dan", at(2, 9))  # a new session ends the form
    events_table.user("dan", "hello", "greet", at(2, 9, 1))
    messages = read_user_messages(sqlite_url(events_table.path))
    assert [m.text for m in messages if not m.in_form] == ["/request_callback",
                                                           "what does it cost", "hello"]
    assert [m.text for m in messages if m.in_form] == ["Dan Smith", "my legs are numb",
                                                       "Dan Smith"]


def advice_slot(table: EventsTable, sender: str, timestamp: float) -> None:
    """The slot the emergency advice sets after the message it answers (actions/safety.py)."""
    table.add(sender, "slot", timestamp, {"name": "red_flag_raised", "value": True})


def test_a_message_the_emergency_advice_answered_is_marked_whatever_its_intent(events_table):
    t = events_table
    t.session("eve", at(1, 9))
    t.user("eve", "terrible pain for ten days, painkillers do nothing", "nlu_fallback", at(1, 9, 1))
    # A typed "yes" to the warning signs gets the advice: its intent is affirm.
    t.user("eve", "yes", "affirm", at(1, 9, 2))
    advice_slot(t, "eve", at(1, 9, 2) + 0.15)
    t.user("eve", "thanks", "thank", at(1, 9, 3))
    # A new session carries the slot over: that marks no message.
    t.session("eve", at(2, 9))
    advice_slot(t, "eve", at(2, 9) + 0.01)
    t.user("eve", "hello", "greet", at(2, 9, 1))
    # A slot set to something else marks nothing.
    t.add("eve", "slot", at(2, 9, 1) + 0.15, {"name": "red_flag_raised", "value": None})
    t.add("eve", "slot", at(2, 9, 1) + 0.16, {"name": "handoff_reason", "value": True})
    messages = read_user_messages(sqlite_url(t.path))
    assert [(m.text, m.emergency_advised) for m in messages] == [
        ("terrible pain for ten days, painkillers do nothing", False), ("yes", True),
        ("thanks", False), ("hello", False)]
