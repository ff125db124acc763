"""The channel wrapper answers every message, even when the assistant fails or says nothing."""

from __future__ import annotations

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from clinic_assistant.channels.never_silent import never_silent


async def test_replies_pass_through_unchanged(content):
    async def assistant(message: UserMessage) -> None:
        await message.output_channel.send_response(message.sender_id, {"text": "hello"})

    channel = CollectingOutputChannel()
    await never_silent(assistant)(UserMessage("hi", channel, "p1"))
    assert [m["text"] for m in channel.messages] == ["hello"]


async def test_silence_becomes_a_technical_problem_reply(content):
    async def silent_assistant(message: UserMessage) -> None:
        return None

    channel = CollectingOutputChannel()
    await never_silent(silent_assistant)(UserMessage("hi", channel, "p1"))
    assert [m["text"] for m in channel.messages] == [content.message("technical_problem")]
    assert content.clinic.phone in channel.messages[0]["text"]


async def test_a_crash_becomes_a_technical_problem_reply(content):
    async def crashing_assistant(message: UserMessage) -> None:
        raise ConnectionError("action server down")

    channel = CollectingOutputChannel()
    await never_silent(crashing_assistant)(UserMessage("hi", channel, "p1"))
    assert [m["text"] for m in channel.messages] == [content.message("technical_problem")]


async def test_blank_message_gets_a_prompt_without_reaching_the_model(content):
    calls = []

    async def assistant(message: UserMessage) -> None:
        calls.append(message)

    channel = CollectingOutputChannel()
    await never_silent(assistant)(UserMessage("   ", channel, "p1"))
    assert calls == []
    assert [m["text"] for m in channel.messages] == [content.message("empty_message")]
