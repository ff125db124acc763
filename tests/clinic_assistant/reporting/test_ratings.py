"""Helpful and unhelpful ratings are counted per topic, with the questions rated unhelpful."""

from __future__ import annotations

from clinic_assistant.reporting.ratings import NO_TOPIC, TopicRating, topic_ratings
from clinic_assistant.reporting.tracker_events import read_user_messages, sqlite_url

from .conftest import at

RATING = '/feedback{"rating": "%s", "topic": "%s"}'


def test_ratings_per_topic_most_unhelpful_first(events_table):
    t = events_table
    t.user("anna", "how much is it", "faq_cost", at(1, 9, 1))
    t.user("anna", RATING % ("unhelpful", "faq_cost"), "feedback", at(1, 9, 2),
           entities=[("rating", "unhelpful"), ("topic", "faq_cost")])
    t.user("ben", "is it risky", "faq_risks", at(1, 9, 3))
    t.user("ben", RATING % ("helpful", "faq_risks"), "feedback", at(1, 9, 4),
           entities=[("rating", "helpful"), ("topic", "faq_risks")])
    t.user("cleo", "what does it cost me", "faq_cost", at(1, 9, 5))
    t.user("cleo", "/feedback", "feedback", at(1, 9, 6),
           entities=[("topic", "faq_cost"), ("rating", "Unhelpful")])
    t.user("cleo", "/feedback", "feedback", at(1, 9, 7), entities=[("rating", "helpful")])
    t.user("dan", "/feedback", "feedback", at(1, 9, 8), entities=[("rating", "meh")])
    t.user("dan", "this was unhelpful", "feedback", at(1, 9, 9))
    rows = topic_ratings(read_user_messages(sqlite_url(t.path)))
    assert rows == [
        TopicRating("faq_cost", 0, 2, ("how much is it", "what does it cost me")),
        TopicRating(NO_TOPIC, 1, 0),
        TopicRating("faq_risks", 1, 0),
    ]


def test_no_feedback_no_rows(events_table):
    events_table.user("anna", "hello", "greet", at(1))
    assert topic_ratings(read_user_messages(sqlite_url(events_table.path))) == []
