"""action_answer_faq and action_tell_me_more answer from the content file."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

from actions.faq import ActionAnswerFaq, ActionTellMeMore, feedback_buttons
from tests.conftest import payloads, texts

FEEDBACK_PAYLOADS = [
    '/feedback{"rating":"helpful","topic":"faq_cost"}',
    '/feedback{"rating":"unhelpful","topic":"faq_cost"}',
]


async def test_answers_with_curated_text_sources_review_date_and_follow_ups(
    dispatcher, make_tracker, content
):
    events = await ActionAnswerFaq().run(
        dispatcher, make_tracker("what does it cost", "faq_cost"), {}
    )
    answer = content.answers["faq_cost"]
    said = texts(dispatcher)
    assert said[0] == content.render(answer.answer)
    assert "Sources:" in said[1] and answer.sources[0].url in said[1]
    assert f"{answer.reviewed_on:%B %Y}" in said[1]
    assert payloads(dispatcher) == [
        "/tell_me_more", *(f"/{i}" for i in answer.follow_ups), *FEEDBACK_PAYLOADS
    ]
    assert events == [SlotSet("last_faq_topic", "faq_cost")]


def test_feedback_buttons_rate_the_answer_with_titles_from_the_messages_file(content):
    buttons = feedback_buttons(content, "faq_cost")
    assert [b["payload"] for b in buttons] == FEEDBACK_PAYLOADS
    assert [b["title"] for b in buttons] == [
        content.feedback_titles["helpful"], content.feedback_titles["unhelpful"]
    ]
    assert [b["title"] for b in buttons] == ["Helpful", "Not helpful"]


async def test_feedback_buttons_come_last_under_the_answer_itself(dispatcher, make_tracker):
    await ActionAnswerFaq().run(dispatcher, make_tracker("am I a candidate", "faq_candidacy"), {})
    sources = next(m for m in dispatcher.messages if (m.get("text") or "").startswith("Sources"))
    assert [b["payload"] for b in sources["buttons"]][-2:] == [
        p.replace("faq_cost", "faq_candidacy") for p in FEEDBACK_PAYLOADS
    ]
    later = dispatcher.messages[dispatcher.messages.index(sources) + 1:]
    assert not any("/feedback" in b["payload"] for m in later for b in m.get("buttons") or [])


async def test_general_question_gets_no_consultation_offer(dispatcher, make_tracker):
    await ActionAnswerFaq().run(
        dispatcher, make_tracker("how much do stem cell injections cost", "faq_cost"), {}
    )
    assert "/book_consultation" not in payloads(dispatcher)


@pytest.mark.parametrize(
    "text",
    ["my MRI says I have a protrusion, what does that mean",
     "am I a candidate for this",
     "what would it cost me",
     "should I have the injection"],
)
async def test_personal_question_gets_general_information_and_a_consultation_offer(
    dispatcher, make_tracker, content, text
):
    await ActionAnswerFaq().run(dispatcher, make_tracker(text, "faq_candidacy"), {})
    said = texts(dispatcher)
    assert said[0] == content.message("personal_preface")
    assert content.render(content.answers["faq_candidacy"].answer) in said
    assert said[-1] == content.message("consultation_offer")
    assert [b["payload"] for b in dispatcher.messages[-1]["buttons"]] == [
        '/book_consultation{"handoff_reason": "personal_question"}',
        '/request_human{"handoff_reason": "personal_question"}',
    ]


async def test_personal_question_repeats_the_spine_level_mentioned(dispatcher, make_tracker):
    tracker = make_tracker(
        "I have an l5/s1 herniation, would stem cells help me?",
        "faq_stem_cell_therapy",
        entities=[{"entity": "spine_level", "value": "l5/s1"}],
    )
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert "your L5-S1 level" in texts(dispatcher)[0]


async def test_intent_without_answer_entry_still_gets_a_reply(dispatcher, make_tracker):
    await ActionAnswerFaq().run(dispatcher, make_tracker("?", "faq_unknown_topic"), {})
    assert texts(dispatcher) and "/request_human" in payloads(dispatcher)


async def test_tell_me_more_gives_the_longer_part_of_the_last_answer(
    dispatcher, make_tracker, content
):
    tracker = make_tracker("tell me more", "tell_me_more", slots={"last_faq_topic": "faq_risks"})
    await ActionTellMeMore().run(dispatcher, tracker, {})
    assert texts(dispatcher)[0] == content.render(content.answers["faq_risks"].more)
    assert "Sources:" in texts(dispatcher)[1]


async def test_tell_me_more_without_a_topic_asks_which(dispatcher, make_tracker, content):
    await ActionTellMeMore().run(dispatcher, make_tracker("more", "tell_me_more"), {})
    assert texts(dispatcher) == [content.message("which_topic")]
    assert all(p.startswith("/faq_") for p in payloads(dispatcher))


async def test_a_second_question_in_the_message_is_offered_as_a_button(
    dispatcher, make_tracker, content
):
    tracker = make_tracker("how much does it cost and is it safe", "faq_cost")
    tracker.latest_message["other_questions"] = [
        {"name": "faq_risks", "confidence": 0.7}, {"name": "faq_cost", "confidence": 0.6},
        {"name": "greet", "confidence": 0.6}]
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    also = dispatcher.messages[-1]
    assert also["text"] == content.message("also_asked")
    assert [b["payload"] for b in also["buttons"]] == ["/faq_risks"]
    assert content.render(content.answers["faq_cost"].answer) in texts(dispatcher)


async def test_a_single_question_gets_no_extra_offer(dispatcher, make_tracker, content):
    await ActionAnswerFaq().run(dispatcher, make_tracker("what does it cost", "faq_cost"), {})
    assert content.message("also_asked") not in texts(dispatcher)


def test_every_source_link_survives_a_chat_client_that_finds_links_in_text(content, project_root):
    """Links are found as the widget finds them (its URL_PATTERN); a URL
    with brackets used to be cut at the ")" of "label (url)"."""
    import re
    from urllib.parse import unquote

    from actions.faq import sources_line

    widget = (project_root / "web/widget/clinic-chat.js").read_text(encoding="utf-8")
    literal = re.search(r"URL_PATTERN = /(.+)/g;", widget)
    assert literal is not None
    widget_links = re.compile(literal.group(1).replace("\\/", "/"))
    for intent, answer in content.answers.items():
        found = widget_links.findall(sources_line(content, answer))
        assert [unquote(url) for url in found] == [unquote(s.url) for s in answer.sources], intent
