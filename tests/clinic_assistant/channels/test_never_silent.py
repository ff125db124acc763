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


async def test_a_paused_conversation_stays_silent_for_staff(content):
    """While staff are joining or chatting, the assistant says nothing: no technical message."""
    async def silent_assistant(message: UserMessage) -> None:
        return None

    checked = []

    async def paused(sender_id: str) -> bool:
        checked.append(sender_id)
        return True

    channel = CollectingOutputChannel()
    await never_silent(silent_assistant, is_paused=paused)(UserMessage("hello?", channel, "p7"))
    assert channel.messages == []
    assert checked == ["p7"]


async def test_silence_is_explained_when_the_pause_check_says_not_paused(content):
    async def silent_assistant(message: UserMessage) -> None:
        return None

    async def not_paused(sender_id: str) -> bool:
        return False

    channel = CollectingOutputChannel()
    await never_silent(silent_assistant, is_paused=not_paused)(UserMessage("hi", channel, "p8"))
    assert [m["text"] for m in channel.messages] == [content.message("technical_problem")]


async def test_restart_while_paused_is_stored_as_text_and_the_patient_stays_with_staff(content):
    """Rasa would run /restart even in a paused conversation and silently end the chat."""
    received = []

    async def assistant(message: UserMessage) -> None:
        received.append(message.text)

    async def paused(sender_id: str) -> bool:
        return True

    channel = CollectingOutputChannel()
    await never_silent(assistant, is_paused=paused)(UserMessage(" /restart", channel, "p9"))
    assert received == ["restart"]
    assert [m["text"] for m in channel.messages] == [content.message("restart_while_with_staff")]


async def test_restart_when_not_paused_is_passed_on_unchanged(content):
    received = []

    async def assistant(message: UserMessage) -> None:
        received.append(message.text)
        await message.output_channel.send_response(message.sender_id, {"text": "restarted"})

    async def not_paused(sender_id: str) -> bool:
        return False

    channel = CollectingOutputChannel()
    await never_silent(assistant, is_paused=not_paused)(UserMessage("/restart", channel, "p9"))
    assert received == ["/restart"]
    assert [m["text"] for m in channel.messages] == ["restarted"]
