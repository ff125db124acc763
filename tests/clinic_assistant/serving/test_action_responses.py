"""Action-server replies are validated as Rasa validates them, with the schema checked once."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from clinic_assistant.serving import action_responses

VALID = {
    "events": [{"event": "slot", "name": "last_faq_topic", "value": "faq_cost", "timestamp": None}],
    "responses": [{"text": "An answer", "buttons": [{"title": "More", "payload": "/tell_me_more"}]}],
}
INVALID = [
    {"events": [{"event": "no_such_event"}], "responses": []},
    {"events": "not a list"},
    {"responses": ["not an object"]},
]


def action() -> RemoteAction:
    return RemoteAction("action_answer_faq", None)


def test_a_valid_reply_passes():
    assert action_responses.validate_action_result(action(), VALID) is True


@pytest.mark.parametrize("reply", INVALID)
def test_an_invalid_reply_fails_with_the_error_jsonschema_validate_gives(reply):
    with pytest.raises(jsonschema.ValidationError) as expected:
        jsonschema.validate(reply, RemoteAction.action_response_format_spec())
    with pytest.raises(jsonschema.ValidationError) as ours:
        action_responses.validate_action_result(action(), reply)
    assert ours.value.message.startswith(expected.value.message)
    assert "Failed to validate Action server response" in ours.value.message
    assert list(ours.value.path) == list(expected.value.path)


def test_install_replaces_rasas_check_on_every_remote_action():
    action_responses.install()
    assert action()._validate_action_result(VALID) is True
    with pytest.raises(jsonschema.ValidationError):
        action()._validate_action_result(INVALID[0])


def test_the_schema_is_checked_once():
    assert action_responses.response_validator() is action_responses.response_validator()
