"""Why a patient is handed over: read from the person button's entity, else the intent."""

from __future__ import annotations

from typing import Dict, Optional

import pytest

from clinic_assistant.handoff.reasons import handoff_reason


def reason_entity(reason: str) -> Dict[str, str]:
    """The entity a person button's payload carries."""
    return {"entity": "handoff_reason", "value": reason}


@pytest.mark.parametrize("intent, entity, expected", [
    ("request_human", None, "requested"),
    ("book_consultation", None, "consultation"),
    ("request_human", "red_flag", "red_flag"),
    ("book_consultation", "personal_question", "personal_question"),
    ("request_human", "fallback", "fallback"),
    ("request_human", "made_up", "requested"),
    ("something_else", None, "requested"),
])
def test_the_reason_comes_from_the_button_else_the_intent(
    make_tracker, intent: str, entity: Optional[str], expected: str
) -> None:
    """Unknown reasons in a typed payload are ignored."""
    tracker = make_tracker("/x", intent, entities=[reason_entity(entity)] if entity else [])
    assert handoff_reason(tracker) == expected
