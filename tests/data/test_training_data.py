"""Training data: enough varied examples, an honest held-out set, and a valid project."""

from __future__ import annotations

import subprocess
import sys

import pytest

from clinic_assistant.content_check import (
    MIN_FAQ_EXAMPLES, domain_intents, example_counts, training_examples,
)
from clinic_assistant.evaluation.examples import normalise_example, read_examples


def test_every_intent_has_training_data_and_faq_intents_have_enough(project_root):
    counts = example_counts(training_examples(project_root))
    for intent in domain_intents(project_root / "domain.yml"):
        minimum = MIN_FAQ_EXAMPLES if intent.startswith("faq_") else 10
        assert counts.get(intent, 0) >= minimum, intent


def test_no_example_is_labelled_twice(project_root):
    seen = {}
    clashes = []
    for intent, text in training_examples(project_root):
        key = normalise_example(text)
        if key in seen and seen[key] != intent:
            clashes.append((text, seen[key], intent))
        seen[key] = intent
    assert clashes == []


@pytest.mark.parametrize("name, minimum", [("heldout.yml", 300), ("heldout_hard.yml", 150)])
def test_held_out_sets_share_no_sentence_with_training_data(project_root, name, minimum):
    training = {normalise_example(t) for _, t in training_examples(project_root)}
    held_out = read_examples([project_root / "tests/nlu" / name])
    assert len(held_out) >= minimum
    assert [t for _, t in held_out if normalise_example(t) in training] == []


def test_held_out_set_covers_every_faq_intent_and_red_flags(project_root):
    counts = example_counts(read_examples([project_root / "tests/nlu/heldout.yml"]))
    faq = [i for i in domain_intents(project_root / "domain.yml") if i.startswith("faq_")]
    assert all(counts.get(i, 0) >= 10 for i in faq)
    assert counts["red_flag_symptoms"] >= 40


@pytest.mark.slow
def test_rasa_data_validate_passes_without_warnings(project_root, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "rasa", "data", "validate", "--fail-on-warnings"],
        cwd=project_root, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
