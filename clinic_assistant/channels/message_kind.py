"""Carry a bot message's `kind`, `tel` and `sources` to the widget over socket.io.

An action marks a message with `dispatcher.utter_message(text=..., kind="emergency", tel="911")`;
Rasa keeps the extra keys in the message's metadata, and Rasa's socket.io output drops them.
This output adds them to every part it emits, so the widget can show emergency advice as an
alert that cannot be missed, with the number to call as a link. `sources` (actions/faq.py) is the
list of an answer's sources (title, url, publisher) that the widget shows under "Show sources".
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOOutput

#: The metadata keys passed on as text (actions/safety.py sets kind "emergency" and the number).
WIDGET_KEYS = ("kind", "tel")
#: The metadata key passed on as a list of {title, url, publisher} (actions/faq.py).
SOURCES_KEY = "sources"
MessageHandler = Callable[[UserMessage], Awaitable[Any]]


class KindSocketIOOutput(SocketIOOutput):
    """Rasa's socket.io output, adding the message's `kind` and `tel` to what it emits."""

    _marks: Dict[str, Any] = {}

    async def _send_message(self, socket_id: Text, response: Any) -> None:
        """Emit one part, marked like the message it belongs to."""
        if self._marks and isinstance(response, dict):
            response = {**response, **self._marks}
        await super()._send_message(socket_id, response)

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        """Send as Rasa does, every part carrying the message's marks."""
        marks: Dict[str, Any] = {key: str(message[key]) for key in WIDGET_KEYS if message.get(key)}
        sources = message.get(SOURCES_KEY)
        if isinstance(sources, list):
            marks[SOURCES_KEY] = [
                {field: str(item.get(field) or "") for field in ("title", "url", "publisher")}
                for item in sources if isinstance(item, dict)
            ]
        self._marks = marks
        try:
            await super().send_response(recipient_id, message)
        finally:
            self._marks = {}


def with_message_kinds(on_new_message: MessageHandler) -> MessageHandler:
    """Replace Rasa's socket.io output of each message by one that passes on the marks."""

    async def handle(message: UserMessage) -> None:
        output = message.output_channel
        if isinstance(output, SocketIOOutput) and not isinstance(output, KindSocketIOOutput):
            message.output_channel = KindSocketIOOutput(output.sio, output.bot_message_evt)
        await on_new_message(message)

    return handle
