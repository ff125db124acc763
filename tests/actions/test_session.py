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
