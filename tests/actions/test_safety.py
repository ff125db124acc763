"""action_emergency_advice: emergency advice first, then an offer to contact the clinic."""

from __future__ import annotations

from rasa_sdk.events import ActiveLoop, SlotSet

from actions.safety import ActionEmergencyAdvice
from tests.conftest import payloads, texts


async def test_emergency_advice_comes_first_with_the_configured_number(
    dispatcher, make_tracker, content
):
    events = await ActionEmergencyAdvice().run(
        dispatcher, make_tracker("I can't feel anything when I wipe", "red_flag_symptoms"), {}
    )
    said = texts(dispatcher)
    assert said[0] == content.message("emergency_advice")
    assert content.clinic.emergency_number in said[0]
    assert "emergency department" in said[0]
    assert content.clinic.phone in said[1]
    assert payloads(dispatcher) == ['/request_human{"handoff_reason": "red_flag"}', "/clinic_info"]
    assert events == [SlotSet("red_flag_raised", True)]


async def test_emergency_advice_ends_an_active_form(dispatcher, make_tracker):
    tracker = make_tracker("I wet myself", "red_flag_symptoms", active_loop={"name": "some_form"})
    events = await ActionEmergencyAdvice().run(dispatcher, tracker, {})
    assert ActiveLoop(None) in events


async def test_emergency_advice_clears_the_answers_of_an_interrupted_callback_form(
        dispatcher, make_tracker):
    tracker = make_tracker("my legs went numb", "red_flag_symptoms",
                           active_loop={"name": "callback_form"},
                           slots={"callback_name": "Jo", "callback_contact": "jo@example.org"})
    events = await ActionEmergencyAdvice().run(dispatcher, tracker, {})
    assert events == [SlotSet("red_flag_raised", True), ActiveLoop(None),
                      SlotSet("callback_name", None), SlotSet("callback_contact", None)]
