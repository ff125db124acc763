"""action_reply answers conversational intents from messages.yml."""

from __future__ import annotations

import pytest

from actions.replies import ActionReply
from tests.conftest import payloads, texts

CONVERSATIONAL = ["greet", "goodbye", "thank", "affirm", "deny", "bot_challenge", "cancel",
                  "clinic_info"]


@pytest.mark.parametrize("intent", CONVERSATIONAL)
async def test_every_conversational_intent_has_a_reply(dispatcher, make_tracker, content, intent):
    await ActionReply().run(dispatcher, make_tracker("...", intent), {})
    reply = content.replies[intent]
    assert texts(dispatcher) == [content.render(reply.text)]
    assert payloads(dispatcher) == [f"/{i}" for i in reply.buttons]


async def test_contact_replies_use_the_clinic_facts(dispatcher, make_tracker, content):
    await ActionReply().run(dispatcher, make_tracker("where are you", "clinic_info"), {})
    said = texts(dispatcher)[0]
    for fact in (content.clinic.phone, content.clinic.address, content.clinic.opening_hours):
        assert fact in said


async def test_unknown_intent_still_gets_a_reply(dispatcher, make_tracker, content):
    await ActionReply().run(dispatcher, make_tracker("...", "something_new"), {})
    assert texts(dispatcher) == [content.message("rephrase")]


async def test_a_yes_to_the_warning_signs_just_shown_gets_the_emergency_advice(
        dispatcher, make_tracker, content):
    from rasa_sdk.events import SlotSet

    def after(*said):
        return [{"event": "user", "text": "my back is bad", "parse_data": {}},
                *({"event": "bot", "text": text} for text in said)]

    signs = content.message("possible_emergency")
    tracker = make_tracker("yes", "affirm", earlier=after(signs, content.message("clarify")))
    assert await ActionReply().run(dispatcher, tracker, {}) == [SlotSet("red_flag_raised", True)]
    assert texts(dispatcher) == [content.message("emergency_advice"),
                                 content.message("emergency_follow_up")]
    # A yes to anything else, or to signs shown two messages ago, is a plain yes.
    for earlier in (after(content.message("clarify")),
                    [*after(signs), *after(content.message("clarify"))]):
        dispatcher.messages.clear()
        await ActionReply().run(dispatcher, make_tracker("yes", "affirm", earlier=earlier), {})
        assert texts(dispatcher) == [content.render(content.replies["affirm"].text)]
