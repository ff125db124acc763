"""Person buttons carry the handoff reason in their payload."""

from __future__ import annotations

from clinic_assistant.handoff.buttons import person_buttons


def test_person_buttons_carry_the_reason_only_on_handoff_intents(content) -> None:
    """Other buttons keep their plain payload and the title is unchanged."""
    buttons = person_buttons(content, ("request_human", "clinic_info", "book_consultation"),
                             "red_flag")
    assert [b["payload"] for b in buttons] == [
        '/request_human{"handoff_reason": "red_flag"}', "/clinic_info",
        '/book_consultation{"handoff_reason": "red_flag"}']
    assert buttons[0]["title"] == content.button_title("request_human")
    assert content.buttons(["request_human"])[0]["payload"] == "/request_human"
