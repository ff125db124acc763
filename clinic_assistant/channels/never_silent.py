"""Make sure every patient message gets a reply, even when something behind Rasa fails."""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, Text

from rasa.core.channels.channel import OutputChannel, UserMessage

from clinic_assistant.content import get_content

logger = logging.getLogger(__name__)

MessageHandler = Callable[[UserMessage], Awaitable[Any]]
#: Rasa runs `/restart` even in a paused conversation, which would silently end a chat with
#: staff; while paused it is stored as plain text instead.
RESTART_COMMAND = "/restart"
PauseCheck = Callable[[str], Awaitable[bool]]


async def paused_in_rasa(sender_id: str) -> bool:
    """Whether the conversation is paused (a person from the clinic is joining or chatting).

    Reads the tracker through the running Rasa server's agent; False if that is not possible.
    """
    try:
        from sanic import Sanic

        tracker = await Sanic.get_app().ctx.agent.tracker_store.retrieve(sender_id)
    except Exception:  # noqa: BLE001 - no agent or store: treat as not paused
        logger.warning("Could not check whether a conversation is paused.")
        return False
    return bool(tracker is not None and tracker.is_paused())


class CountingOutputChannel(OutputChannel):
    """Passes every bot message on to the real channel and counts them."""

    def __init__(self, inner: OutputChannel) -> None:
        """Wrap `inner`, the channel the messages really go to."""
        self.inner = inner
        self.sent = 0

    def name(self) -> Text:
        """The wrapped channel's name, so replies go back the same way."""
        return self.inner.name()

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        """Send through the wrapped channel and count."""
        self.sent += 1
        await self.inner.send_response(recipient_id, message)


def never_silent(on_new_message: MessageHandler,
                 is_paused: PauseCheck = paused_in_rasa) -> MessageHandler:
    """Wrap Rasa's message handler so that a patient never gets an empty reply.

    Blank messages get a short prompt without going through the model. When handling fails, or
    the assistant produced no message (for example because the action server is down), the
    patient is told so, with the clinic's phone and the emergency number from the content files.
    The one silence that is right: while the conversation is paused for staff, the message is
    stored for them and the assistant says nothing. A `/restart` typed meanwhile is stored as
    plain text, so the patient stays with staff.
    """

    async def handle(message: UserMessage) -> None:
        inner = message.output_channel
        content = get_content()
        if not (message.text or "").strip():
            await inner.send_response(message.sender_id, {"text": content.message("empty_message")})
            return
        if message.text.strip().lower().startswith(RESTART_COMMAND) and await is_paused(
                message.sender_id):
            message.text = message.text.strip().lstrip("/")
            await inner.send_response(
                message.sender_id, {"text": content.message("restart_while_with_staff")})
        counter = CountingOutputChannel(inner)
        message.output_channel = counter
        try:
            await on_new_message(message)
        except Exception:  # noqa: BLE001 - any failure must still reach the patient as a reply
            logger.exception("Handling a message failed; sending the technical-problem reply.")
        if counter.sent == 0 and not await is_paused(message.sender_id):
            await inner.send_response(
                message.sender_id, {"text": content.message("technical_problem")}
            )

    return handle
