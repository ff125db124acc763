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


def cluster_summary(replicas: int, shape: str, patients: int, replies_per_s: float) -> dict:
    return {"replicas": replicas, "shape": shape, "patients": patients, "requests": 300,
            "lost": 0, "duplicated": 0, "stored": 300, "answered": 300, "p50": 900,
            "p95": 1200, "p99": 1500, "replies_per_s": replies_per_s}


def test_cluster_runs_are_tabled_side_by_side_with_their_throughput_ratio():
    from benchmarks.cluster_load import throughput_ratios
    from benchmarks.report import cluster_table

    by_size = {1: [cluster_summary(1, "reading", 100, 15.0), cluster_summary(1, "closed", 20, 17.0)],
               2: [cluster_summary(2, "reading", 100, 30.0), cluster_summary(2, "closed", 20, 30.6)]}
    ratios = throughput_ratios(by_size)
    assert [(shape, patients, round(ratio, 2)) for shape, patients, ratio in ratios] == [
        ("reading", 100, 2.0), ("closed", 20, 1.8)]
    rows = cluster_table(by_size, ratios)[2:]
    assert [row.split(" | ")[:3] for row in rows] == [
        ["| reading", "100", "1"], ["| reading", "100", "2"],
        ["| closed", "20", "1"], ["| closed", "20", "2"]]
    assert rows[1].endswith("| 30.0 | x2.00 |") and rows[3].endswith("| 30.6 | x1.80 |")
    assert rows[0].endswith("| 15.0 |  |")


def test_bench_refuses_a_part_it_does_not_know(tmp_path, capsys):
    from benchmarks.run import main

    with pytest.raises(SystemExit):
        main(["--parts", "servng", "--out", str(tmp_path)])
    assert "unknown part(s) servng" in capsys.readouterr().err
