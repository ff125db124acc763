"""Rating payloads that Rasa reads back as intent and entities, and ratings typed in words."""

from __future__ import annotations

import pytest
from rasa.nlu.classifiers.regex_message_handler import RegexMessageHandler
from rasa.shared.core.domain import Domain
from rasa.shared.nlu.training_data.message import Message

from clinic_assistant.feedback import (
    HELPFUL, UNHELPFUL, Feedback, feedback_payload, rating_from_text, read_feedback,
)


def test_payload_is_the_intent_with_compact_json_entities():
    assert feedback_payload(UNHELPFUL, "faq_cost") == (
        '/feedback{"rating":"unhelpful","topic":"faq_cost"}'
    )


def test_rasa_reads_the_payload_as_intent_feedback_with_rating_and_topic(project_root):
    domain = Domain.load(str(project_root / "domain.yml"))
    message = Message(data={"text": feedback_payload(HELPFUL, "faq_risks")})
    [parsed] = RegexMessageHandler().process([message], domain)
    assert parsed.get("intent")["name"] == "feedback"
    assert {e["entity"]: e["value"] for e in parsed.get("entities")} == {
        "rating": "helpful", "topic": "faq_risks"
    }


@pytest.mark.parametrize("text, rating", [
    ("that was helpful", HELPFUL),
    ("great, that explains it", HELPFUL),
    ("that went in, I get it now", HELPFUL),
    ("that didn't answer my question", UNHELPFUL),
    ("that didnt help", UNHELPFUL),
    ("not helpful", UNHELPFUL),
    ("useless", UNHELPFUL),
    ("that was confusing", UNHELPFUL),
    ("it doesn\u2019t say what I asked", UNHELPFUL),
])
def test_rating_from_text(text, rating):
    assert rating_from_text(text) == rating


def test_read_feedback_prefers_entities_then_words_then_the_last_topic():
    button = {"text": "/feedback...", "entities": [{"entity": "rating", "value": "unhelpful"},
                                                   {"entity": "topic", "value": "faq_cost"}]}
    assert read_feedback(button, "faq_risks") == Feedback(UNHELPFUL, "faq_cost")
    typed = {"text": "that was helpful", "entities": []}
    assert read_feedback(typed, "faq_risks") == Feedback(HELPFUL, "faq_risks")
    odd = {"text": "not at all", "entities": [{"entity": "rating", "value": "meh"}]}
    assert read_feedback(odd, None) == Feedback(UNHELPFUL, None)


@pytest.mark.parametrize("unit", ["a", "n'", "not ", "an't"])
def test_reading_a_typed_rating_takes_linear_time(unit):
    from clinic_assistant.feedback import rating_from_text
    from tests.linear_time import MAX_RATIO, growth_ratio

    assert growth_ratio(rating_from_text, unit) < MAX_RATIO
