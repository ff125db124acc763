"""Candidate training material is read by slice and compared against data/nlu alone."""

from __future__ import annotations

import yaml

from benchmarks.training_candidates import DEFAULT_FILE, read_candidates, variants
from clinic_assistant.evaluation.real_questions import read_real_questions


def test_candidates_are_grouped_by_slice_with_whitespace_folded(tmp_path):
    path = tmp_path / "c.yml"
    path.write_text(yaml.safe_dump([
        {"text": "how long\n  off work", "intent": "faq_recovery", "slice": "a"},
        {"text": "dog disc", "intent": "out_of_scope", "slice": "b"},
        {"text": "price?", "intent": "faq_cost", "slice": "a"},
    ]))
    assert read_candidates(path) == {"a": [("faq_recovery", "how long off work"),
                                           ("faq_cost", "price?")],
                                     "b": [("out_of_scope", "dog disc")]}


def test_every_variant_keeps_the_shipped_data_and_adds_one_slice_or_all():
    base = [("greet", "hi")]
    sets = variants(base, {"a": [("faq_cost", "x")], "b": [("faq_risks", "y")]})
    assert list(sets.values()) == [base, base + [("faq_cost", "x")], base + [("faq_risks", "y")],
                                   base + [("faq_cost", "x"), ("faq_risks", "y")]]


def test_the_shipped_candidates_file_cites_pages_outside_the_evaluation_sites(project_root):
    items = yaml.safe_load(DEFAULT_FILE.read_text(encoding="utf-8"))
    real = [q for part in ("dev", "test") for q in
            read_real_questions(project_root / "tests/nlu/real_questions" / f"{part}.yml")]

    def site(url):
        return url.split("/")[2].removeprefix("www.")

    evaluation_sites = {site(q.source) for q in real}
    assert len(items) > 400 and all(i["source"].startswith("http") for i in items)
    assert {site(i["source"]) for i in items}.isdisjoint(evaluation_sites)
