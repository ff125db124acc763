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


#: The classifier's reading of a long story of bad pain with no warning sign.
UNSURE_RANKING = [
    {"name": "red_flag_symptoms", "confidence": 0.41},
    {"name": "faq_conventional_treatment", "confidence": 0.30},
    {"name": "greet", "confidence": 0.10},
    {"name": "faq_symptoms", "confidence": 0.08},
]


async def test_a_red_flag_the_classifier_alone_is_unsure_of_gets_the_advice_then_its_topics(
        dispatcher, make_tracker, content):
    tracker = make_tracker("my back has been agony for two weeks since I cleaned the basement",
                           "red_flag_symptoms", ranking=UNSURE_RANKING, confidence=0.41)
    events = await ActionEmergencyAdvice().run(dispatcher, tracker, {})
    # The advice first, as for any red flag: an euphemistic report of a real warning sign can
    # score this low too.
    assert texts(dispatcher)[:2] == [content.message("emergency_advice"),
                                     content.message("possible_emergency_topics")]
    assert dispatcher.messages[0]["kind"] == "emergency"
    assert payloads(dispatcher)[:3] == ["/faq_conventional_treatment", "/faq_symptoms",
                                        "/none_of_these"]
    assert content.clinic.phone in texts(dispatcher)[2]  # then the offer to contact the clinic
    assert events == [SlotSet("red_flag_raised", True)]


async def test_a_sure_red_flag_gets_the_advice_and_the_offer_to_contact_the_clinic_only(
        dispatcher, make_tracker, content):
    for confidence, extra in ((0.41, {"red_flag_rule": "bladder"}), (0.5, {})):
        dispatcher.messages.clear()
        tracker = make_tracker("can't pee since this morning", "red_flag_symptoms",
                               ranking=UNSURE_RANKING, confidence=confidence, parse_extra=extra)
        events = await ActionEmergencyAdvice().run(dispatcher, tracker, {})
        assert texts(dispatcher) == [content.message("emergency_advice"),
                                     content.message("emergency_follow_up")]
        assert events == [SlotSet("red_flag_raised", True)]


async def test_an_unsure_red_flag_that_interrupts_a_form_gets_no_topics(
        dispatcher, make_tracker, content):
    tracker = make_tracker("my legs feel odd", "red_flag_symptoms", ranking=UNSURE_RANKING,
                           confidence=0.41, active_loop={"name": "some_form"})
    events = await ActionEmergencyAdvice().run(dispatcher, tracker, {})
    assert content.message("possible_emergency_topics") not in texts(dispatcher)
    assert texts(dispatcher)[0] == content.message("emergency_advice")
    assert ActiveLoop(None) in events
