"""The red-flag rules catch emergency descriptions they were not written from."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic_assistant.content_check import training_examples
from clinic_assistant.evaluation.examples import read_examples
from clinic_assistant.red_flags import load_rules, matching_rule


@pytest.fixture(scope="module")
def rules(project_root: Path):
    return load_rules(project_root / "content" / "red_flags.yml")


# Phrasings written for this test: none occurs in data/ or in the held-out set.
UNSEEN_EMERGENCIES = [
    "since this morning my inner thighs and privates feel numb",
    "I haven't been able to pass water all day and my back is agony",
    "had an accident in my pants and didn't even feel it, is that my disc?",
    "my left foot keeps slapping the floor when I walk",
    "both legs went weak on the stairs after my disc injection",
    "I fell down the stairs last night and now my lower back is killing me",
    "I've got a fever and chills two days after the stem cell shot into my disc",
    "can't get an erection since the back pain started",
    "the numbness is spreading up my leg quickly",
    "my doctor mentioned cauda equina, I'm scared",
    "what is cauda equina? since yesterday I can't feel my bottom",
    "my right foot is not working since I woke up",
    "he slipped off the roof, landing on his back on the driveway",
    "I couldn't pass urine all night and my back is on fire",
    "the pain gets stronger with each day and is excruciating",
    "bilateral sciatica started this week",
    # Being asked about a sign, and a sign told in the same message.
    "the GP asked about my bladder and I said I can't pee since this morning",
    "why do they ask about bowel control? I messed myself without feeling it",
    # A question about the condition that also says the patient may have it.
    "what is cauda equina? I think I have it",
    "what is cauda equina syndrome? my husband was diagnosed with it and now I have saddle numbness too",
    # Reports that start as a question about a sign, or about a relative (a review found that
    # rules blanking "asked about my bladder" or a relative's diagnosis missed every one).
    "why do doctors ask about your bladder? mine stopped working yesterday",
    "is being asked about bladder control normal? I've had none since this morning",
    "I have a question about my bladder, it won't empty properly since my back went",
    "the doctor asked about my bowels and I told her I cannot feel when I need to poo",
    "What is cauda equina syndrome? My husband was diagnosed with it and I think I have it too",
    "What is cauda equina? My mum was diagnosed with it yesterday and now I have the same symptoms",
]

EVERYDAY_QUESTIONS = [
    "what is a herniated disc",
    "I have sciatica down my right leg, would stem cells help?",
    "how much does the injection cost",
    "can a car accident years ago cause a herniated disc",
    "is it safe",
    "does a bulging disc cause leg pain",
    "my MRI says L4-L5 protrusion, am I a candidate?",
    "what is cauda equina syndrome?",
    "Impression: bilateral facet arthropathy and mild bilateral foraminal narrowing at L4-5",
]


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
