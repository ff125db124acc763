"""The benchmark's measuring helpers measure what they claim."""

from __future__ import annotations

import pytest
import yaml

from benchmarks.accuracy import tfidf_predictions, with_seed
from benchmarks.load import percentile
from benchmarks.patient_view import expected_text, measure, outcome
from benchmarks.serving_load import parse_runs


def test_percentile_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 0.5) in (50, 51)
    assert percentile(values, 0.95) == 95
    assert percentile([], 0.5) != percentile([], 0.5)  # NaN


def test_seed_is_set_on_diet(tmp_path, project_root):
    seeded = yaml.safe_load(with_seed(project_root / "benchmarks/configs/rasa_default.yml", 7,
                                    tmp_path / "c.yml").read_text())
    diet = next(c for c in seeded["pipeline"] if c["name"] == "DIETClassifier")
    assert diet["random_seed"] == 7


def test_outcomes_are_classified_by_the_reply_text(content):
    answer = content.render(content.answers["faq_cost"].answer)
    assert outcome(content, "faq_cost", ["x", answer]) == "correct"
    assert outcome(content, "faq_cost", [content.message("clarify")]) == "clarification"
    assert outcome(content, "faq_cost", [content.render(content.answers["faq_risks"].answer)]) == "wrong"
    assert outcome(content, "red_flag_symptoms", [content.message("emergency_advice")]) == "correct"
    # Every intent of the held-out sets has an expected reply (those reaching a person too).
    for intent in ("request_human", "book_consultation", "request_callback", "cancel", "greet"):
        assert outcome(content, intent, [expected_text(content, intent)]) == "correct"
    assert outcome(content, "request_human", [content.message("handoff_unavailable")]) == "correct"


def test_patient_view_counts_medical_answers_to_out_of_scope(content):
    risky = content.render(content.answers["faq_risks"].answer)

    def say(sender, text):
        return [{"text": risky}] if text == "knee pain?" else [{"text": content.message("emergency_advice")}]

    view = measure(say, content, [("out_of_scope", "knee pain?"), ("red_flag_symptoms", "numb groin")])
    assert view.out_of_scope_with_medical_answer == 1
    assert view.red_flag_recall == 1.0
    assert view.share("correct") == 0.5


def test_tfidf_baseline_learns_simple_intents():
    train = [("a", "stem cells cost money"), ("a", "price of stem cells"), ("b", "my back hurts"),
             ("b", "back pain is bad")]
    assert tfidf_predictions(train, ["what is the price", "back hurts"], seed=1) == ["a", "b"]


def test_serving_load_runs_are_parsed():
    assert parse_runs("reading:20:45,closed:1:5") == [("reading", 20, 45.0), ("closed", 1, 5.0)]
    with pytest.raises(ValueError):
        parse_runs("bursty:5:5")
