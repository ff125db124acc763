"""Carry a bot message's `kind` (for example "emergency") to the widget over socket.io.

An action marks a message with `dispatcher.utter_message(text=..., kind="emergency")`; Rasa keeps
the extra key in the message's metadata, and Rasa's socket.io output drops it. This output adds
it to every part it emits, so the widget can show emergency advice so that it cannot be missed.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOOutput

#: The metadata key an action sets (actions/safety.py sets "emergency").
KIND_KEY = "kind"
MessageHandler = Callable[[UserMessage], Awaitable[Any]]


class KindSocketIOOutput(SocketIOOutput):
    """Rasa's socket.io output, adding the message's `kind` to what it emits."""

    _kind: Optional[str] = None

    async def _send_message(self, socket_id: Text, response: Any) -> None:
        """Emit one part, marked with the kind of the message it belongs to."""
        if self._kind and isinstance(response, dict):
            response = {**response, KIND_KEY: self._kind}
        await super()._send_message(socket_id, response)

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        """Send as Rasa does, every part carrying the message's kind."""
        kind = message.get(KIND_KEY)
        self._kind = str(kind) if kind else None
        try:
            await super().send_response(recipient_id, message)
        finally:
            self._kind = None


def with_message_kinds(on_new_message: MessageHandler) -> MessageHandler:
    """Replace Rasa's socket.io output of each message by one that passes on `kind`."""

    async def handle(message: UserMessage) -> None:
        output = message.output_channel
        if isinstance(output, SocketIOOutput) and not isinstance(output, KindSocketIOOutput):
            message.output_channel = KindSocketIOOutput(output.sio, output.bot_message_evt)
        await on_new_message(message)

    return handle
