"""Text insertions keep each file's comments and layout, and read back as intended."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from clinic_assistant.authoring import edits
from clinic_assistant.authoring.topic import NewTopic, parse_source

DOMAIN = """\
version: "3.1"
intents:
  # FAQ topics.
  - faq_a
  - faq_b
  # Safety.
  - red_flag_symptoms
"""
RULES = """\
version: "3.1"
# FAQ rules.
rules:
- rule: faq_a
  steps:
  - intent: faq_a
  - action: action_answer_faq
- rule: tell me more
  steps:
  - intent: tell_me_more
  - action: action_tell_me_more
"""
NLU = """\
version: "3.1"
nlu:
- intent: greet
  examples: |
    - hi
    - hello
- intent: goodbye
  examples: |
    - bye
"""


def test_domain_intent_goes_after_the_last_faq_intent():
    text = edits.add_domain_intent(DOMAIN, "faq_c")
    assert text == DOMAIN.replace("  - faq_b\n", "  - faq_b\n  - faq_c\n")


def test_rule_goes_after_the_last_faq_rule():
    text = edits.add_faq_rule(RULES, "faq_c")
    rules = yaml.safe_load(text)["rules"]
    assert [r["rule"] for r in rules] == ["faq_a", "faq_c", "tell me more"]
    assert rules[1]["steps"] == [{"intent": "faq_c"}, {"action": "action_answer_faq"}]
    assert "# FAQ rules." in text


def test_examples_are_appended_to_their_own_block_only():
    text = edits.add_examples(NLU, "greet", ["hey there"])
    data = yaml.safe_load(text)["nlu"]
    assert data[0]["examples"] == "- hi\n- hello\n- hey there\n"
    assert data[1]["examples"] == "- bye\n"
    with pytest.raises(ValueError):
        edits.add_examples(NLU, "thank", ["ta"])


def test_new_nlu_file_reads_back():
    text = edits.new_nlu_file("faq_c", ["one?", "it's: two # three"])
    assert yaml.safe_load(text)["nlu"][0] == {
        "intent": "faq_c", "examples": "- one?\n- it's: two # three\n"
    }


@pytest.mark.parametrize("value", [
    "Plain title", "Costs: what's included", "yes", "2026-01-01", "#1 question", "'quoted'",
    "Dr O'Neil", "A \"quote\"", "ends with colon:",
])
def test_yaml_text_reads_back_unchanged(value):
    assert yaml.safe_load(f"key: {edits.yaml_text(value)}") == {"key": value}


def test_answer_entry_reads_back_with_every_field():
    topic = NewTopic(
        intent="faq_c", title="Costs: what's included", examples=("a",) * 5,
        answer="word " * 60 + "end.", sources=(parse_source("A \"label\": x|https://a.example/x"),),
        reviewer="Dr O'Neil", follow_ups=("faq_a", "faq_b"), stem_cell=True,
    )
    answers = "answers:\n  faq_a:\n    title: A\n"
    text = edits.add_answer(answers, edits.answer_entry(topic, dt.date(2026, 11, 25)))
    entry = yaml.safe_load(text)["answers"]["faq_c"]
    assert entry == {
        "title": "Costs: what's included", "stem_cell": True,
        "answer": " ".join(topic.answer.split()),
        "sources": [{"label": 'A "label": x', "url": "https://a.example/x"}],
        "reviewed_on": dt.date(2026, 11, 25), "reviewed_by": "Dr O'Neil",
        "follow_ups": ["faq_a", "faq_b"],
    }
    assert all(len(line) <= 100 for line in text.splitlines())
