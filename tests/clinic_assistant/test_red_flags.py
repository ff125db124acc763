"""The red-flag rules catch emergency descriptions they were not written from."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic_assistant.content_check import training_examples
from clinic_assistant.evaluation.examples import read_examples, read_phrasings
from clinic_assistant.red_flags import load_rules, matching_rule
from clinic_assistant.settings import PROJECT_ROOT


@pytest.fixture(scope="module")
def rules(project_root: Path):
    return load_rules(project_root / "content" / "red_flags.yml")


#: Phrasings written for these tests, none of them in data/ (tests/data/test_no_leak.py).
PHRASINGS = PROJECT_ROOT / "tests/nlu/red_flag_phrasings.yml"
UNSEEN_EMERGENCIES = read_phrasings(PHRASINGS, "emergencies")
EVERYDAY_QUESTIONS = read_phrasings(PHRASINGS, "everyday")


@pytest.mark.parametrize("text", UNSEEN_EMERGENCIES)
def test_unseen_emergency_phrasings_are_caught(rules, text):
    assert matching_rule(rules, text) is not None


@pytest.mark.parametrize("text", EVERYDAY_QUESTIONS)
def test_everyday_questions_do_not_raise_an_alarm(rules, text):
    assert matching_rule(rules, text) is None


def test_every_training_and_held_out_red_flag_is_caught_by_the_rules(rules, project_root):
    files = [project_root / "data/nlu/red_flag_symptoms.yml", project_root / "tests/nlu/heldout.yml"]
    missed = [t for i, t in read_examples(files) if i == "red_flag_symptoms"
              and matching_rule(rules, t) is None]
    assert missed == []


def test_false_alarms_on_training_questions_stay_rare(rules, project_root):
    examples = training_examples(project_root)
    others = [t for i, t in examples if i != "red_flag_symptoms"]
    alarms = [t for t in others if matching_rule(rules, t)]
    assert len(alarms) / len(others) < 0.01, alarms


def test_curly_apostrophes_and_capitals_are_normalised(rules):
    assert matching_rule(rules, "I CAN\u2019T FEEL WHEN I WIPE") == "saddle_numbness"


def test_a_bad_pattern_names_its_rule(tmp_path):
    path = tmp_path / "rules.yml"
    path.write_text('rules:\n  broken:\n    any: ["(unclosed"]\n')
    with pytest.raises(ValueError, match="rule 'broken': bad pattern"):
        load_rules(path)


@pytest.mark.parametrize("unit", ["numb", "weak", "leak", "poo", "numb!", "pee ", "a", "fell ", "3"])
def test_reading_time_grows_linearly_with_hostile_input(rules, unit):
    """Every rule runs on every message: sixteen times the text takes about sixteen times as
    long ("numb" repeated over 20,000 characters took 12 s before word repeats were bounded)."""
    from tests.linear_time import MAX_RATIO, growth_ratio

    assert growth_ratio(lambda text: matching_rule(rules, text), unit) < MAX_RATIO
