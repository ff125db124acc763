"""Rasa's REST channel, made never silent and strict about what it accepts."""

from __future__ import annotations

from typing import Awaitable, Callable, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from clinic_assistant.channels.bodies import Problem, check_body
from clinic_assistant.channels.rate_limit import client_address, limiter_from_settings
from clinic_assistant.channels.never_silent import never_silent
from clinic_assistant.content import get_content
from clinic_assistant.settings import get_settings

#: A message over the rate limit (clinic_assistant/channels/rate_limit.py).
TOO_MANY = Problem(429, "too many messages: wait a few seconds", "too_many_messages")


def refusal(problem: Problem, sender: Optional[str] = None) -> HTTPResponse:
    """A 4xx answer shaped like the assistant's replies: the kind text, and the reason why."""
    text = get_content().message(problem.message_key)
    return response.json([{"recipient_id": sender, "text": text, "error": problem.detail}],
                         status=problem.status)


class NeverSilentRestInput(RestInput):
    """The REST channel at /webhooks/rest/webhook, with a reply for every message.

    A malformed body (see clinic_assistant/channels/bodies.py) is refused with a 4xx status
    before Rasa reads it, and so is a message over the rate limit of its conversation or
    client address (429, see rate_limit.py).
    """

    @classmethod
    def name(cls) -> Text:
        """Keep Rasa's URL: /webhooks/rest/webhook."""
        return "rest"

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[None]]
    ) -> Blueprint:
        """Rasa's REST endpoints around a handler that never stays silent."""
        blueprint = super().blueprint(never_silent(on_new_message))
        limiter = limiter_from_settings(get_settings())

        @blueprint.middleware("request")
        async def refuse_malformed(request: Request) -> Optional[HTTPResponse]:
            if request.method != "POST":
                return None
            checked = check_body(request.content_type, request.body or b"")
            if isinstance(checked, Problem):
                return refusal(checked)
            if not limiter.allow(checked.sender, client_address(request)):
                return refusal(TOO_MANY, checked.sender)
            return None

        return blueprint
