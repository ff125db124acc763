"""Every malformed chat body is named with a 4xx status and the patient's kind message key."""

from __future__ import annotations

import json

import pytest

from clinic_assistant.channels.bodies import (
    MAX_BODY_BYTES,
    ChatMessage,
    Problem,
    check_body,
    check_socket_message,
)

JSON = "application/json"


@pytest.mark.parametrize("content_type, raw, status, words", [
    (JSON, b'["hello"]', 400, "JSON object, not a JSON list"),
    (JSON, b'"hello"', 400, "JSON object, not a JSON str"),
    (JSON, b'{"sender": "p", "message": 123}', 400, "'message' must be a string"),
    (JSON, b'{"sender": "p", "message": null}', 400, "'message' must be a string"),
    (JSON, b'{"sender": "p"}', 400, "'message' is missing"),
    (JSON, b'{"message": "hi"}', 400, "'sender' must be a non-empty string"),
    (JSON, b'{"sender": "  ", "message": "hi"}', 400, "'sender' must be a non-empty string"),
    (JSON, b'{"sender": 7, "message": "hi"}', 400, "'sender' must be a non-empty string"),
    (JSON, json.dumps({"sender": "x" * 256, "message": "hi"}).encode(), 400, "at most 255"),
    (JSON, b'{"sender": "p", "message": "hi", "metadata": [1]}', 400, "'metadata' must be"),
    (JSON, b'{"sender": "p", "message": "hi", "input_channel": 5}', 400, "'input_channel'"),
    (JSON, b"sender=p&message=hi", 400, "not valid JSON"),
    (JSON, b'{"sender": "p", "message": "hi"', 400, "not valid JSON"),
    (JSON, b"\xff\xfe{}", 400, "not valid JSON"),
    (JSON, b'{"sender": "p", "message": "hi \\ud800"}', 400, "unpaired surrogate"),
    (JSON, b'{"sender": "\\udfff", "message": "hi"}', 400, "unpaired surrogate"),
    (JSON, b"", 400, "not valid JSON"),
    ("text/plain", b'{"sender": "p", "message": "hi"}', 415, "Content-Type: application/json"),
    (None, b'{"sender": "p", "message": "hi"}', 415, "Content-Type: application/json"),
    ("application/x-www-form-urlencoded", b"sender=p", 415, "application/json"),
])
def test_malformed_bodies_are_refused_with_a_clear_reason(content_type, raw, status, words):
    problem = check_body(content_type, raw)
    assert isinstance(problem, Problem)
    assert (problem.status, problem.message_key) == (status, "bad_request")
    assert words in problem.detail


def test_a_huge_body_is_too_large_before_it_is_parsed():
    raw = b'{"sender": "p", "message": "' + b"a" * MAX_BODY_BYTES + b'"}'
    problem = check_body(JSON, raw)
    assert isinstance(problem, Problem)
    assert (problem.status, problem.message_key) == (413, "message_too_large")


@pytest.mark.parametrize("content_type", [JSON, "application/json; charset=utf-8",
                                          "Application/JSON", "application/vnd.api+json"])
def test_good_bodies_pass_with_their_fields(content_type):
    long_message = "I have a herniated disc and I want to tell you everything. " * 400
    raw = json.dumps({"sender": "p1", "message": long_message, "metadata": {"a": 1}}).encode()
    assert check_body(content_type, raw) == ChatMessage("p1", long_message, {"a": 1})
    assert check_body(JSON, b'{"sender": "p1", "message": ""}') == ChatMessage("p1", "", None)


def test_socket_messages_need_a_session_id_and_text():
    assert check_socket_message({"session_id": "s1", "message": "hi"}) == ChatMessage(
        "s1", "hi", None)
    for data in (["hi"], "hi", None, {"message": "hi"}, {"session_id": "s1", "message": 5},
                 {"session_id": "s1", "message": "hi", "metadata": "{not json"}):
        assert isinstance(check_socket_message(data), Problem), data
    huge = {"session_id": "s1", "message": "a" * MAX_BODY_BYTES}
    assert check_socket_message(huge).message_key == "message_too_large"  # type: ignore[union-attr]
    assert check_socket_message({"message": "hi"}, session_persistence=False) == ChatMessage(
        "socket", "hi", None)


def test_malformed_session_requests_ask_for_a_new_session():
    from clinic_assistant.channels.bodies import session_request_data

    assert session_request_data({"session_id": "abc"}) == {"session_id": "abc"}
    for data in (None, ["abc"], "abc", 5):
        assert session_request_data(data) == {}
    for session_id in ({"x": 1}, 7, "", "x" * 256):
        assert session_request_data({"session_id": session_id}) == {"session_id": None}
