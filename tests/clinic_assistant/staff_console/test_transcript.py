"""What staff read: Rasa's events turned into patient, assistant, staff and notice lines."""

from __future__ import annotations

from clinic_assistant.staff_console.rasa_api import staff_event
from clinic_assistant.staff_console.transcript import MAX_ENTRIES, MAX_LINE_CHARS, transcript


def user(text: str, intent: str = "faq_cost", stamp: float = 1_764_000_000.0) -> dict:
    return {"event": "user", "text": text, "timestamp": stamp,
            "parse_data": {"intent": {"name": intent}}}


def test_lines_for_each_speaker_in_order() -> None:
    events = [
        user("/session_start", "session_start"),
        user("how much is it?"),
        {"event": "bot", "text": "It depends on ...", "timestamp": 1_764_000_001.0},
        {"event": "action", "name": "action_listen"},
        user('/request_human{"handoff_reason": "fallback"}', "request_human"),
        {**staff_event({"handoff": "active", "name": "Anna", "text": "Anna has joined."}),
         "timestamp": 1_764_000_002.0},
        {**staff_event({"sender": "staff", "name": "Anna", "text": "Hi <b>there</b>"}),
         "timestamp": 1_764_000_003.0},
        {"event": "pause"},
    ]
    lines = transcript({"events": events})
    assert [(line["from"], line["text"]) for line in lines] == [
        ("patient", "how much is it?"),
        ("assistant", "It depends on ..."),
        ("patient", "[clicked: request human]"),
        ("notice", "Anna has joined."),
        ("staff", "Hi <b>there</b>"),
    ]
    assert lines[4]["name"] == "Anna"
    assert lines[0]["time"] == "2025-11-24T16:00:00+00:00"


def test_a_bot_event_with_only_a_status_payload_is_not_a_line() -> None:
    assert transcript({"events": [staff_event({"handoff": "ended"})]}) == []


def test_long_conversations_show_the_newest_lines() -> None:
    events = [user(f"message {n}") for n in range(MAX_ENTRIES + 20)]
    lines = transcript({"events": events})
    assert len(lines) == MAX_ENTRIES
    assert lines[-1]["text"] == f"message {MAX_ENTRIES + 19}"
    assert lines[0]["text"] == "message 20"


def test_a_very_long_message_is_shortened_and_says_by_how_much() -> None:
    story = "My MRI says L4-L5 protrusion. " * 4000  # 120,000 characters
    lines = transcript({"events": [user(story), user("and the cost?")]})
    assert lines[0]["text"] == story[:MAX_LINE_CHARS]
    assert lines[0]["cut"] == len(story) - MAX_LINE_CHARS
    assert "cut" not in lines[1] and lines[1]["text"] == "and the cost?"
