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
