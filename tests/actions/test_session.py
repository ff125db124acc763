"""action_session_start: welcome, scope and disclaimer at the start of every session."""

from __future__ import annotations

from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet

from actions.session import ActionSessionStart
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
