"""Clarification, out-of-scope and the default fallback never leave the patient stuck."""

from __future__ import annotations

from actions.clarification import ActionClarify, ActionDefaultFallback, ActionOutOfScope
from tests.conftest import payloads, texts, user_event

RANKING = [
    {"name": "nlu_fallback", "confidence": 0.45},
    {"name": "faq_cost", "confidence": 0.40},
    {"name": "greet", "confidence": 0.30},
    {"name": "faq_regulation", "confidence": 0.20},
    {"name": "request_human", "confidence": 0.10},
    {"name": "faq_risks", "confidence": 0.05},
]


async def test_first_miss_offers_the_likeliest_answerable_topics(
    dispatcher, make_tracker, content
):
    tracker = make_tracker("is the thing legit", "nlu_fallback", ranking=RANKING)
    await ActionClarify().run(dispatcher, tracker, {})
    assert texts(dispatcher) == [content.message("clarify")]
    assert payloads(dispatcher) == [
        "/faq_cost", "/faq_regulation", "/request_human", "/faq_risks", "/none_of_these"
    ]
    titles = [b["title"] for b in dispatcher.messages[0]["buttons"]]
    assert titles[0] == content.answers["faq_cost"].title


async def test_second_miss_in_a_row_offers_a_person(dispatcher, make_tracker, content):
    tracker = make_tracker(
        "nope", "none_of_these", earlier=[user_event("is the thing legit", "nlu_fallback")]
    )
    await ActionClarify().run(dispatcher, tracker, {})
    assert texts(dispatcher) == [content.message("offer_person")]
    assert payloads(dispatcher) == ['/request_human{"handoff_reason": "fallback"}',
                                    '/book_consultation{"handoff_reason": "fallback"}']


async def test_second_miss_still_offers_the_likely_topics_and_a_person(
    dispatcher, make_tracker, content
):
    tracker = make_tracker("is it legit tho", "nlu_fallback", ranking=RANKING,
                           earlier=[user_event("huh?", "nlu_fallback")])
    await ActionClarify().run(dispatcher, tracker, {})
    assert texts(dispatcher) == [content.message("clarify"), content.message("offer_person")]
    assert payloads(dispatcher) == ["/faq_cost", "/faq_regulation", "/faq_risks",
                                    '/request_human{"handoff_reason": "fallback"}',
                                    '/book_consultation{"handoff_reason": "fallback"}']


async def test_a_miss_after_an_answered_question_is_a_first_miss(dispatcher, make_tracker, content):
    earlier = [user_event("huh", "nlu_fallback"), user_event("cost?", "faq_cost")]
    tracker = make_tracker("blah", "nlu_fallback", ranking=RANKING, earlier=earlier)
    await ActionClarify().run(dispatcher, tracker, {})
    assert texts(dispatcher) == [content.message("clarify")]


async def test_misses_before_a_new_session_do_not_count(dispatcher, make_tracker, content):
    earlier = [user_event("huh", "nlu_fallback"), {"event": "session_started"}]
    tracker = make_tracker("blah", "nlu_fallback", ranking=RANKING, earlier=earlier)
    await ActionClarify().run(dispatcher, tracker, {})
    assert texts(dispatcher) == [content.message("clarify")]


async def test_other_language_is_told_kindly_what_the_assistant_reads(
    dispatcher, make_tracker, content
):
    tracker = make_tracker("Hola, tengo una hernia de disco, me pueden ayudar", "nlu_fallback")
    await ActionClarify().run(dispatcher, tracker, {})
    assert texts(dispatcher) == [content.message("non_english")]
    assert content.clinic.phone in texts(dispatcher)[0]


async def test_emoji_only_message_asks_for_words(dispatcher, make_tracker, content):
    await ActionClarify().run(dispatcher, make_tracker("\U0001F600\U0001F44D", "nlu_fallback"), {})
    assert texts(dispatcher) == [content.message("symbols_only")]


async def test_no_candidates_asks_to_rephrase_with_topics(dispatcher, make_tracker, content):
    await ActionClarify().run(dispatcher, make_tracker("hmm ok then", "nlu_fallback"), {})
    assert texts(dispatcher) == [content.message("rephrase")]
    assert payloads(dispatcher)


async def test_out_of_scope_states_the_scope_with_topic_buttons(dispatcher, make_tracker, content):
    await ActionOutOfScope().run(dispatcher, make_tracker("weather in paris?", "out_of_scope"), {})
    assert texts(dispatcher) == [content.message("out_of_scope")]
    assert all(p.startswith("/faq_") for p in payloads(dispatcher))


async def test_second_out_of_scope_in_a_row_also_offers_a_person(dispatcher, make_tracker, content):
    tracker = make_tracker(
        "tell me a joke", "out_of_scope", earlier=[user_event("weather?", "out_of_scope")]
    )
    await ActionOutOfScope().run(dispatcher, tracker, {})
    assert texts(dispatcher) == [content.message("out_of_scope"), content.message("offer_person")]


async def test_default_fallback_replies(dispatcher, make_tracker, content):
    await ActionDefaultFallback().run(dispatcher, make_tracker("x", "greet"), {})
    assert texts(dispatcher) == [content.message("rephrase")]


async def test_did_you_mean_comes_after_the_warning_signs_when_a_red_flag_is_possible(
        dispatcher, make_tracker, content):
    ranking = [{"name": "nlu_fallback", "confidence": 0.3},
               {"name": "faq_symptoms", "confidence": 0.26},
               {"name": "red_flag_symptoms", "confidence": 0.2},
               {"name": "faq_diagnosis", "confidence": 0.15}]
    await ActionClarify().run(dispatcher, make_tracker("legs odd", "nlu_fallback", ranking=ranking), {})
    assert texts(dispatcher) == [content.message("possible_emergency"), content.message("clarify")]
    assert dispatcher.messages[0]["kind"] == "emergency"
    # "I have one of these signs" first: it gets the emergency advice.
    assert payloads(dispatcher) == ["/red_flag_symptoms", "/faq_symptoms", "/faq_diagnosis",
                                    "/none_of_these"]
    dispatcher.messages.clear()
    ranking[2]["confidence"] = 0.19
    await ActionClarify().run(dispatcher, make_tracker("legs odd", "nlu_fallback", ranking=ranking), {})
    assert texts(dispatcher) == [content.message("clarify")]
