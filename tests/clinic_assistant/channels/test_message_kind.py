"""The socket.io output passes an answer's `sources` (and an alert's `kind`) on to the widget."""

from __future__ import annotations

from typing import Any, List, Tuple

from clinic_assistant.channels.message_kind import KindSocketIOOutput


class RecordingServer:
    """Stands in for python-socketio's server: records what would be emitted."""

    def __init__(self) -> None:
        self.emitted: List[Tuple[str, Any]] = []

    async def emit(self, event: str, data: Any = None, room: Any = None, **_: Any) -> None:
        self.emitted.append((event, data))


async def test_the_sources_go_with_the_short_line_and_its_buttons():
    server = RecordingServer()
    output = KindSocketIOOutput(server, "bot_uttered")
    await output.send_response("room-1", {
        "text": "Sources: NHS, FDA. Last reviewed 1 December 2026.",
        "buttons": [{"title": "Tell me more", "payload": "/tell_me_more"}],
        "sources": [
            {"title": "NHS: Back pain", "url": "https://www.nhs.uk/x", "publisher": "NHS",
             "extra": "<dropped>"},
            "not a source",
            {"title": "FDA page", "url": "https://www.fda.gov/y", "publisher": None},
        ],
    })
    assert len(server.emitted) == 1
    event, data = server.emitted[0]
    assert event == "bot_uttered"
    assert data["text"].startswith("Sources: NHS, FDA.")
    assert data["quick_replies"][0]["payload"] == "/tell_me_more"
    assert data["sources"] == [
        {"title": "NHS: Back pain", "url": "https://www.nhs.uk/x", "publisher": "NHS"},
        {"title": "FDA page", "url": "https://www.fda.gov/y", "publisher": ""},
    ]


async def test_messages_without_sources_are_sent_as_before():
    server = RecordingServer()
    output = KindSocketIOOutput(server, "bot_uttered")
    await output.send_response("room-1", {"text": "Go to the emergency department.",
                                          "kind": "emergency", "tel": "911"})
    await output.send_response("room-1", {"text": "Hello"})
    assert [data for _, data in server.emitted] == [
        {"text": "Go to the emergency department.", "kind": "emergency", "tel": "911"},
        {"text": "Hello"},
    ]
