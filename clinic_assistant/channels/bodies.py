"""Check a chat message sent to the assistant before Rasa sees it.

Rasa 3.6's REST channel answers a JSON list with HTTP 500 and a stack trace, sends
`{"message": 123}` into the model (the patient gets an empty reply list), and files every
message without a sender under one shared conversation called "default". Here each malformed
body gets one clear problem, mapped to a 4xx status by the channel; what the patient sees is
the kind `bad_request` (or `message_too_large`) text from content/messages.yml.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Dict, Optional

#: Largest request body accepted (a message of 400 sentences is about 24 KB).
MAX_BODY_BYTES = 64 * 1024
#: Rasa's `events.sender_id` column is a VARCHAR(255).
MAX_SENDER_CHARS = 255


@dataclass(frozen=True)
class Problem:
    """Why a body was refused: HTTP status, a plain explanation, and the patient's message key."""

    status: int
    detail: str
    message_key: str = "bad_request"


@dataclass(frozen=True)
class ChatMessage:
    """A well-formed message: who sent it and what they wrote."""

    sender: str
    text: str
    metadata: Optional[Dict[str, Any]]


def _is_json(content_type: Optional[str]) -> bool:
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json"))


def _encodable(text: str) -> bool:
    """Whether the text can be stored (JSON allows lone surrogates such as "\\ud800")."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_fields(body: Any, *, sender_key: str = "sender") -> "ChatMessage | Problem":
    """The message in a decoded JSON body, or what is wrong with it."""
    if not isinstance(body, dict):
        return Problem(400, f"the body must be a JSON object, not a JSON {type(body).__name__}")
    sender = body.get(sender_key)
    if not isinstance(sender, str) or not sender.strip():
        return Problem(400, f"'{sender_key}' must be a non-empty string (the conversation id)")
    if len(sender) > MAX_SENDER_CHARS:
        return Problem(400, f"'{sender_key}' must be at most {MAX_SENDER_CHARS} characters")
    if "message" not in body:
        return Problem(400, "'message' is missing (the patient's text, a string)")
    text = body["message"]
    if not isinstance(text, str):
        return Problem(400, "'message' must be a string")
    if not (_encodable(sender) and _encodable(text)):
        return Problem(400, "the text holds an unpaired surrogate (\\ud800-\\udfff), "
                            "which is not Unicode text")
    metadata = body.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        return Problem(400, "'metadata' must be a JSON object when given")
    for key in ("input_channel",):
        if body.get(key) is not None and not isinstance(body[key], str):
            return Problem(400, f"'{key}' must be a string when given")
    return ChatMessage(sender, text, metadata)


def check_body(content_type: Optional[str], raw: bytes) -> "ChatMessage | Problem":
    """The message in a raw REST request body, or what is wrong with it."""
    if len(raw) > MAX_BODY_BYTES:
        return Problem(413, f"the body is larger than {MAX_BODY_BYTES} bytes",
                       "message_too_large")
    if not _is_json(content_type):
        return Problem(415, "send the message as JSON with 'Content-Type: application/json'")
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return Problem(400, "the body is not valid JSON (UTF-8)")
    return check_fields(body)


def check_socket_message(data: Any, *, session_persistence: bool = True
                         ) -> "ChatMessage | Problem":
    """The message in a socket.io `user_uttered` event, or the problem. With session
    persistence the conversation id is the event's `session_id`; without, the socket's own id
    (then none is needed). There is no HTTP status on a socket; it only classifies the problem."""
    if isinstance(data, dict) and len(json.dumps(data, default=str)) > MAX_BODY_BYTES:
        return Problem(413, f"the message is larger than {MAX_BODY_BYTES} bytes",
                       "message_too_large")
    if isinstance(data, dict) and not session_persistence:
        data = {**data, "session_id": "socket"}
    return check_fields(data, sender_key="session_id")


def session_request_data(data: Any) -> Dict[str, Any]:
    """A socket.io `session_request` payload Rasa can use: anything malformed (not an object,
    a session id that is not a short string) asks for a new session instead."""
    if not isinstance(data, dict):
        return {}
    session_id = data.get("session_id")
    if not isinstance(session_id, str) or not session_id.strip() or (
            len(session_id) > MAX_SENDER_CHARS):
        return {**data, "session_id": None}
    return data
