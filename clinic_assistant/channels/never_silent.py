"""Make sure every patient message gets a reply, even when something behind Rasa fails."""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, Text

from rasa.core.channels.channel import OutputChannel, UserMessage

from clinic_assistant.content import get_content

logger = logging.getLogger(__name__)

MessageHandler = Callable[[UserMessage], Awaitable[Any]]


class CountingOutputChannel(OutputChannel):
    """Passes every bot message on to the real channel and counts them."""

    def __init__(self, inner: OutputChannel) -> None:
        """Wrap `inner`, the channel the messages really go to."""
        self.inner = inner
        self.sent = 0

    def name(self) -> Text:  # type: ignore[override]
        """The wrapped channel's name, so replies go back the same way."""
        return self.inner.name()

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        """Send through the wrapped channel and count."""
        self.sent += 1
        await self.inner.send_response(recipient_id, message)


def never_silent(on_new_message: MessageHandler) -> MessageHandler:
    """Wrap Rasa's message handler so that a patient never gets an empty reply.

    Blank messages get a short prompt without going through the model. When handling fails, or
    the assistant produced no message (for example because the action server is down), the
    patient is told so, with the clinic's phone and the emergency number from the content files.
    """

    async def handle(message: UserMessage) -> None:
        inner = message.output_channel
        content = get_content()
        if not (message.text or "").strip():
            await inner.send_response(message.sender_id, {"text": content.message("empty_message")})
            return
        counter = CountingOutputChannel(inner)
        message.output_channel = counter
        try:
            await on_new_message(message)
        except Exception:  # noqa: BLE001 - any failure must still reach the patient as a reply
            logger.exception("Handling a message failed; sending the technical-problem reply.")
        if counter.sent == 0:
            await inner.send_response(
                message.sender_id, {"text": content.message("technical_problem")}
            )

    return handle
