"""Buttons that offer a person, each carrying why it was offered (the handoff reason)."""

from __future__ import annotations

import json
from typing import Dict, List, Sequence

from clinic_assistant.content import Content
from clinic_assistant.handoff.reasons import HANDOFF_INTENTS, REASON_ENTITY


def person_buttons(content: Content, intents: Sequence[str], reason: str) -> List[Dict[str, str]]:
    """Buttons for `intents`; those that reach a person carry why the person was offered."""
    buttons = content.buttons(list(intents))
    for button, intent in zip(buttons, intents):
        if intent in HANDOFF_INTENTS:
            button["payload"] += json.dumps({REASON_ENTITY: reason})
    return buttons
