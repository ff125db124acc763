"""Rasa's REST channel, made never silent."""

from __future__ import annotations

from typing import Awaitable, Callable, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint

from clinic_assistant.channels.never_silent import never_silent
from clinic_assistant.serving.garbage_collection import freeze_after_start


class NeverSilentRestInput(RestInput):
    """The REST channel at /webhooks/rest/webhook, with a reply for every message."""

    @classmethod
    def name(cls) -> Text:
        """Keep Rasa's URL: /webhooks/rest/webhook."""
        return "rest"

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[None]]
    ) -> Blueprint:
        """Rasa's REST endpoints around a handler that never stays silent."""
        return freeze_after_start(super().blueprint(never_silent(on_new_message)))
