"""action_session_start: welcome, scope and disclaimer at the start of every session."""

from __future__ import annotations

from typing import Any, Dict, Optional

import pytest
from rasa.shared.core.domain import Domain
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet

from actions.session import CARRIED_OVER_SLOTS, ActionSessionStart
from tests.conftest import texts


async def test_session_starts_with_welcome_and_disclaimer(dispatcher, make_tracker, content):
    events = await ActionSessionStart().run(dispatcher, make_tracker(), {})
    assert texts(dispatcher) == [content.message("welcome"), content.message("disclaimer")]
    assert "not medical advice" in texts(dispatcher)[1]
    assert content.clinic.emergency_number in texts(dispatcher)[1]
    assert events == [SessionStarted(), ActionExecuted("action_listen")]


async def test_a_raised_red_flag_is_carried_into_the_new_session(dispatcher, make_tracker):
    tracker = make_tracker(slots={"red_flag_raised": True})
    events = await ActionSessionStart().run(dispatcher, tracker, {})
    assert events == [SessionStarted(), SlotSet("red_flag_raised", True),
                      ActionExecuted("action_listen")]


async def test_the_welcome_is_not_repeated_when_the_widget_starts_the_session(
    dispatcher, make_tracker
):
    just_started = [{"event": "session_started"}, {"event": "bot", "text": "welcome"},
                    {"event": "action", "name": "action_listen"}]
    tracker = make_tracker("/session_start", "session_start", earlier=just_started)
    events = await ActionSessionStart().run(dispatcher, tracker, {})
    assert dispatcher.messages == []
    assert events == [SessionStarted(), ActionExecuted("action_listen")]


async def test_a_later_session_start_welcomes_again(dispatcher, make_tracker, content):
    earlier = [{"event": "session_started"}, {"event": "user", "text": "hi"}]
    tracker = make_tracker("/session_start", "session_start", earlier=earlier)
    await ActionSessionStart().run(dispatcher, tracker, {})
    assert texts(dispatcher)[0] == content.message("welcome")


def domain_as_sent(project_root, carry_over: Optional[bool] = None) -> Dict[str, Any]:
    """domain.yml as Rasa sends it to the action server; optionally with the carry-over flipped."""
    sent = Domain.load(str(project_root / "domain.yml")).as_dict()
    if carry_over is not None:
        sent["session_config"]["carry_over_slots_to_new_session"] = carry_over
    return sent


@pytest.mark.parametrize("carry_over", [None, True, False], ids=["domain.yml", "true", "false"])
async def test_a_new_session_carries_what_the_domain_says(
    dispatcher, make_tracker, project_root, carry_over
):
    """Off (as shipped): only CARRIED_OVER_SLOTS; on: every slot that is set."""
    domain = domain_as_sent(project_root, carry_over)
    slots = {name: True if spec["type"] == "bool" else "x"
             for name, spec in domain["slots"].items() if spec["type"] in ("bool", "text")}
    assert set(CARRIED_OVER_SLOTS) < set(slots)
    events = await ActionSessionStart().run(dispatcher, make_tracker(slots=slots), domain)
    carried = [event["name"] for event in events if event["event"] == "slot"]
    if domain["session_config"]["carry_over_slots_to_new_session"]:
        assert carried == list(slots)
    else:
        assert carried == list(CARRIED_OVER_SLOTS)


def test_the_shipped_domain_does_not_carry_every_slot(project_root):
    """A call-back form's answers never reach a new session (docs/security.md)."""
    assert domain_as_sent(project_root)["session_config"][
        "carry_over_slots_to_new_session"] is False
