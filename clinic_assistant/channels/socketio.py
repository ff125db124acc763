"""Rasa's socket.io channel for the website widget: explicit origins, never silent."""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

from clinic_assistant.channels.bodies import Problem, check_socket_message, session_request_data
from clinic_assistant.channels.message_kind import with_message_kinds
from clinic_assistant.channels.rate_limit import client_address, limiter_from_settings
from clinic_assistant.channels.socketio_cluster import join_cluster
from clinic_assistant.channels.never_silent import never_silent
from clinic_assistant.content import get_content
from clinic_assistant.settings import get_settings


def parse_origins(value: Any) -> List[str]:
    """Origins from a list or a space/comma-separated string; '*' is refused."""
    items = value if isinstance(value, list) else str(value or "").replace(",", " ").split()
    origins = [str(item).strip().rstrip("/") for item in items if str(item).strip()]
    if "*" in origins:
        raise ValueError("cors_allowed_origins must list origins explicitly, not '*'")
    return origins


#: Socket.IO packet types that carry binary attachments (BINARY_EVENT, BINARY_ACK).
BINARY_PACKET_TYPES = ("5", "6")


def refuse_binary_packets(sio: Any) -> None:
    """Drop binary packets and attachments before python-socketio stores them.

    python-socketio 5.9 (held back by the pin for RasaHQ/rasa#13027) keeps a binary packet in
    memory until all its attachments arrive and never frees it on disconnect, so any client
    could grow the server's memory for good (fixed upstream in 5.16.2). The widget sends text
    only, so binary packets are refused outright.
    """
    handle_message = sio.eio.handlers["message"]

    async def text_only(eio_sid: Text, data: Any) -> None:
        if isinstance(data, (bytes, bytearray)) or (
                isinstance(data, str) and data[:1] in BINARY_PACKET_TYPES):
            sio._binary_packet.pop(eio_sid, None)
            return
        await handle_message(eio_sid, data)

    sio.eio.handlers["message"] = text_only


class ClinicSocketIOInput(SocketIOInput):
    """The socketio channel, accepting browser connections only from the listed origins.

    Rasa's own channel disables socket.io's origin check (`cors_allowed_origins=[]`), so any
    website could open a chat with the clinic's assistant. Here the allowed origins come from
    `cors_allowed_origins` in credentials.yml (an explicit list, default: the demo page),
    every message gets a reply even when the action server fails, and a message's `kind`
    (emergency advice) reaches the widget. With REDIS_HOST set, several Rasa servers share
    their sockets through Redis and accept websockets only (socketio_cluster.py).
    """

    @classmethod
    def name(cls) -> Text:
        """Keep Rasa's name so the widget connects to /socket.io as usual."""
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        """Read Rasa's socketio options plus `cors_allowed_origins`."""
        credentials = credentials or {}
        channel = super().from_credentials(credentials)
        assert isinstance(channel, ClinicSocketIOInput)
        channel.allowed_origins = parse_origins(credentials.get("cors_allowed_origins"))
        if not channel.allowed_origins:
            # An empty list would switch socket.io's origin check off altogether.
            raise ValueError(
                "socketio needs cors_allowed_origins: the websites that embed the chat")
        return channel

    allowed_origins: List[str] = []

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        """Rasa's socketio blueprint with the origin check switched on, malformed messages and
        messages over the rate limit answered kindly (Rasa's handler would fail on malformed
        ones, or drop them silently) and the messages' marks (emergency advice) passed on to
        the widget."""
        blueprint = super().blueprint(with_message_kinds(never_silent(on_new_message)))
        sio = self.sio
        assert sio is not None
        settings = get_settings()
        join_cluster(sio, blueprint, settings)
        sio.eio.cors_allowed_origins = list(self.allowed_origins)
        refuse_binary_packets(sio)
        namespace = self.namespace or "/"
        rasas_handler = sio.handlers[namespace][self.user_message_evt]
        limiter = limiter_from_settings(settings)

        async def checked(sid: Text, data: Any) -> None:
            message = check_socket_message(
                data, session_persistence=self.session_persistence)
            if isinstance(message, Problem):
                text = get_content().message(message.message_key)
                await sio.emit(self.bot_message_evt, {"text": text, "error": message.detail},
                               room=sid, namespace=namespace)
                return
            environ = sio.get_environ(sid, namespace=namespace) or {}
            address = client_address(environ.get("sanic.request"))
            conversation = message.sender if self.session_persistence else sid
            if not limiter.allow(conversation, address):
                await sio.emit(self.bot_message_evt,
                               {"text": get_content().message("too_many_messages"),
                                "error": "too many messages: wait a few seconds"},
                               room=sid, namespace=namespace)
                return
            await rasas_handler(sid, data)

        sio.handlers[namespace][self.user_message_evt] = checked
        rasas_session_request = sio.handlers[namespace]["session_request"]

        async def session_request(sid: Text, data: Any = None) -> None:
            await rasas_session_request(sid, session_request_data(data))

        sio.handlers[namespace]["session_request"] = session_request
        return blueprint
