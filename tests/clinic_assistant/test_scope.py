"""The scope groups recognise questions the assistant does not cover, and only those."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic_assistant.evaluation.examples import read_examples
from clinic_assistant.scope import load_scope_groups, outside_scope
from tests.linear_time import MAX_RATIO, growth_ratio


@pytest.fixture(scope="module")
def groups(project_root: Path):
    return load_scope_groups(project_root / "content" / "scope.yml")


# Written for this test: none occurs in data/, the held-out sets or the real-question set.
OUTSIDE = [
    ("can stem cells regrow the cartilage in my knee", "other_joints"),
    ("my labrador has a slipped disc, do you treat dogs", "animals"),
    ("stem cell injections for multiple sclerosis, any good?", "other_illnesses"),
    ("is there stem cell treatment for a spinal cord injury from a diving accident", "spinal_cord_injury"),
    ("does your therapy help scoliosis in teenagers", "other_spine_conditions"),
    ("would a stem cell face lift get rid of my droopy cheeks", "other_illnesses"),
    ("is a fat graft to my face as good as fillers", "other_illnesses"),
    ("would PRP help my hair transplant take", "other_illnesses"),
    ("I slipped at work and hurt my back, how much is my claim worth?", "legal_claims"),
    ("can I sue my employer for my back injury", "legal_claims"),
]

INSIDE = [
    "my herniated disc sends pain down to my knee, will stem cells help",
    "do you take the cells from my hip or from fat",
    "I had breast cancer five years ago, am I still a candidate",
    "can stem cell injections cause cancer",
    "what does foraminal stenosis at L5-S1 mean on my MRI",
    "I walk my dog every day, is that good for my back",
    "How much does the injection cost?",
    "will my insurance claim for the stem cell injection be paid",
    "is the injection worth it",
    "they take fat from my belly for the cells, does that hurt",
    "do you take fat from my tummy, is it a fat transfer?",
    "my lawyer says stem cells could help my disc, is that true?",
    "how much is it worth paying for stem cells if it might not work?",
    "does the settlement of the disc happen on its own?",
]


@pytest.mark.parametrize("text,group", OUTSIDE)
def test_questions_about_something_else_are_outside(groups, text, group):
    assert outside_scope(groups, text) == group


@pytest.mark.parametrize("text", INSIDE)
def test_questions_about_discs_and_the_treatment_stay_inside(groups, text):
    assert outside_scope(groups, text) is None


def test_no_team_written_topic_question_is_screened_out_by_more_than_a_few(groups, project_root):
    """The screen may only replace a topic on questions about something else: on the
    team-written topic examples (training and held-out) it fires on at most 1 in 200."""
    files = [project_root / "tests/nlu/heldout.yml", project_root / "tests/nlu/heldout_hard.yml",
             *sorted((project_root / "data/nlu").glob("faq_*.yml"))]
    topics = [text for intent, text in read_examples(files) if intent.startswith("faq_")]
    screened = [text for text in topics if outside_scope(groups, text)]
    assert len(screened) <= len(topics) / 200, screened


@pytest.mark.parametrize("unit", ["knee ", "a", "cancer risk of ", "my dog ", "l5 ", "-",
                                  "diabet", "injur", "veterinar"])
def test_reading_time_grows_linearly_with_hostile_input(groups, unit):
    """Sixteen times the text takes about sixteen times as long (a backtracking pattern would
    take 256 times as long)."""
    assert growth_ratio(lambda text: outside_scope(groups, text), unit) < MAX_RATIO
