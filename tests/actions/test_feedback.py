"""action_record_feedback thanks for a helpful rating and offers a way on after an unhelpful one."""

from __future__ import annotations

import pytest

from actions.feedback import ActionRecordFeedback
from tests.conftest import payloads, texts


def rating(value: str, topic: str = "faq_cost"):
    return [{"entity": "rating", "value": value}, {"entity": "topic", "value": topic}]


async def test_helpful_button_is_thanked(dispatcher, make_tracker, content):
    tracker = make_tracker('/feedback{"rating":"helpful","topic":"faq_cost"}', "feedback",
                           entities=rating("helpful"))
    events = await ActionRecordFeedback().run(dispatcher, tracker, {})
    assert texts(dispatcher) == [content.message("feedback_thanks")]
    assert payloads(dispatcher) == []
    assert events == []


async def test_unhelpful_button_gets_a_sorry_and_the_offer_of_a_person(
    dispatcher, make_tracker, content
):
    tracker = make_tracker('/feedback{"rating":"unhelpful","topic":"faq_cost"}', "feedback",
                           entities=rating("unhelpful"))
    await ActionRecordFeedback().run(dispatcher, tracker, {})
    assert texts(dispatcher) == [content.message("feedback_sorry")]
    assert payloads(dispatcher) == ["/request_human"]
    assert dispatcher.messages[0]["buttons"][0]["title"] == content.button_title("request_human")


@pytest.mark.parametrize("text, expected", [
    ("that didn't answer my question", "feedback_sorry"),
    ("not helpful", "feedback_sorry"),
    ("useless answer", "feedback_sorry"),
    ("that was helpful", "feedback_thanks"),
    ("yes that answered my question", "feedback_thanks"),
])
async def test_rating_typed_in_words_without_entities(
    dispatcher, make_tracker, content, text, expected
):
    tracker = make_tracker(text, "feedback", slots={"last_faq_topic": "faq_risks"})
    await ActionRecordFeedback().run(dispatcher, tracker, {})
    assert texts(dispatcher) == [content.message(expected)]


async def test_the_rating_entity_wins_over_the_words(dispatcher, make_tracker, content):
    tracker = make_tracker("not sure", "feedback", entities=rating("helpful"))
    await ActionRecordFeedback().run(dispatcher, tracker, {})
    assert texts(dispatcher) == [content.message("feedback_thanks")]
