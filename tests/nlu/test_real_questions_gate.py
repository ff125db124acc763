"""Gate on real patients' questions (tests/nlu/real_questions/test.yml), never used for choices.

The figures below are what the shipped model reached when it was chosen (docs/pipeline.md);
raise them as the model improves, never lower them. The model is deterministic (fixed seeds,
no dropout), so the gate sits at the measured value, rounded down.
"""

from __future__ import annotations

import pytest

from clinic_assistant.evaluation.evaluate_model import classifier_intent
from clinic_assistant.evaluation.real_questions import (measure_served, read_adjudicated,
                                                        read_real_questions, score_top_intents)

pytestmark = pytest.mark.e2e

#: Measured 2026-12-01 (classifier view, then as patients see it through the REST channel),
#: with the scope screen (content/scope.yml), the refined red-flag rules and the fallback
#: ambiguity margin at 0.02: top intent 0.739; answered correctly 0.683, clarified 0.111 with
#: a right button 0.636 of the time; red-flag recall 1.0, emergency advice to 2.7 % of the
#: others; 7 of 31 off-topic questions given a topic answer. (0.744 and 0.652 were reached for
#: an hour with three training examples that turned out to sit within cosine 0.88-0.9 of dev
#: questions; they were removed as too close, and the gate follows.) The issue's targets
#: (0.90, 0.85, 0.95, <= 1 %, 0) are not reached yet. Fourth round (docs/pipeline.md):
#: among the clarified questions that some topic serves, a right button 0.875 of the time (the
#: rest of the 0.636's misses are off-topic questions, for which no button can be right).
#: 2026-12-02: plain back-pain statements ("my back hurts") in faq_symptoms, which the classifier
#: had sent to emergency advice: top intent 0.734 (one question at 0.18 against 0.16 went from
#: a right topic to a low-confidence red flag, which patients see as a "did you mean"); every
#: figure as patients see it unchanged. The classifier gate stays at 0.73 (0.734 measured): it
#: is never lowered, so a change that loses two more test questions does not land.
MIN_TOP_IN_ACCEPT = 0.73
#: 2026-12-03: the same top intents against the adjudicated accept-sets (the first labelling
#: where both labellings agree, a third reader's judgement where they differ, the first
#: labelling's emergencies kept: real_questions/README.md), measured at 0.774.
MIN_TOP_IN_ACCEPT_ADJUDICATED = 0.77
MIN_RED_FLAG_RECALL = 1.0
#: 2026-12-03: a red flag that only the classifier reads, below 0.5, gets its likely topics after
#: the emergency advice (actions/possible_emergency.py): clarified 0.121 with a right button
#: 0.667 (0.889 when a topic serves); emergency advice to 2.7 % of the others, recall 1.0.
MAX_FALSE_EMERGENCY_SHARE = 0.028
MIN_ANSWERED_CORRECTLY = 0.68
MIN_RIGHT_BUTTON_WHEN_CLARIFYING = 0.66
MIN_RIGHT_BUTTON_WHEN_A_TOPIC_SERVES = 0.88
MAX_OFF_TOPIC_GIVEN_TOPIC = 7


@pytest.fixture(scope="module")
def questions(project_root):
    return read_real_questions(project_root / "tests/nlu/real_questions/test.yml")


@pytest.fixture(scope="module")
def classifier_tops(assistant, questions):
    return [classifier_intent(assistant.parse(q.text)) for q in questions]


@pytest.fixture(scope="module")
def classifier_score(content, questions, classifier_tops):
    score = score_top_intents(questions, classifier_tops, list(content.answers))
    print(f"real test part, classifier: {score}")
    return score


@pytest.fixture(scope="module")
def served_score(assistant, content, questions):
    score = measure_served(assistant.say, content, questions)
    print(f"real test part, as patients see it: {score}")
    return score


def test_the_top_intent_serves_real_questions(classifier_score):
    assert classifier_score.top_in_accept >= MIN_TOP_IN_ACCEPT


def test_the_top_intent_serves_real_questions_as_adjudicated(project_root, content, questions,
                                                            classifier_tops):
    adjudicated = read_adjudicated(
        project_root / "tests/nlu/real_questions/adjudicated/test.yml", questions)
    score = score_top_intents(adjudicated, classifier_tops, list(content.answers))
    print(f"real test part, classifier, adjudicated labels: {score}")
    assert score.top_in_accept >= MIN_TOP_IN_ACCEPT_ADJUDICATED


def test_every_real_emergency_gets_emergency_advice_and_few_others_do(served_score):
    assert served_score.red_flag_recall >= MIN_RED_FLAG_RECALL
    assert served_score.false_emergency_share <= MAX_FALSE_EMERGENCY_SHARE


def test_patients_get_the_right_answer_or_the_right_button(served_score):
    assert served_score.answered_correctly >= MIN_ANSWERED_CORRECTLY
    assert served_score.clarification_with_right_button >= MIN_RIGHT_BUTTON_WHEN_CLARIFYING
    assert served_score.right_button_when_a_topic_serves >= MIN_RIGHT_BUTTON_WHEN_A_TOPIC_SERVES


def test_off_topic_questions_rarely_get_a_medical_answer(served_score):
    assert served_score.off_topic_given_topic <= MAX_OFF_TOPIC_GIVEN_TOPIC
