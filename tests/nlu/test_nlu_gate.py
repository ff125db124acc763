"""NLU gate: the trained model must understand held-out patient questions it never saw."""

from __future__ import annotations

import pytest

from clinic_assistant.evaluation.evaluate_model import FALLBACK_INTENT, RED_FLAG_INTENT, classifier_intent
from clinic_assistant.evaluation.examples import read_examples
from clinic_assistant.evaluation.metrics import intent_report, recall

pytestmark = pytest.mark.e2e

#: Measured 2026-12-01 with the sentence-embedding classifier chosen on real patients'
#: questions (docs/pipeline.md): accuracy 0.898, macro-F1 0.900 on heldout.yml, which now also
#: covers the five new topics. The earlier DIET ensemble scored 0.95 here but worse on real
#: questions (tests/nlu/test_real_questions_gate.py), so this team-written set is a second view
#: and its gate moved down to what the chosen model reaches (deterministic: no seed noise).
MIN_ACCURACY = 0.89
MIN_MACRO_F1 = 0.89
MAX_FALLBACK_SHARE = 0.10


@pytest.fixture(scope="module")
def held_out_parses(assistant, project_root):
    examples = read_examples([project_root / "tests/nlu/heldout.yml"])
    return [(intent, assistant.parse(text)) for intent, text in examples]


def test_intent_accuracy_and_macro_f1_on_the_held_out_set(held_out_parses):
    expected = [intent for intent, _ in held_out_parses]
    predicted = [classifier_intent(parse) for _, parse in held_out_parses]
    report = intent_report(expected, predicted)
    print(f"held-out accuracy {report.accuracy:.3f}, macro-F1 {report.macro_f1:.3f}")
    assert report.accuracy >= MIN_ACCURACY
    assert report.macro_f1 >= MIN_MACRO_F1


def test_red_flag_recall_is_complete_as_patients_see_it(held_out_parses):
    expected = [intent for intent, _ in held_out_parses]
    seen = [parse["intent"]["name"] for _, parse in held_out_parses]
    missed = [p["text"] for i, p in held_out_parses
              if i == RED_FLAG_INTENT and p["intent"]["name"] != RED_FLAG_INTENT]
    assert recall(expected, seen, RED_FLAG_INTENT) == 1.0, missed


def test_few_held_out_questions_go_to_clarification(held_out_parses):
    seen = [parse["intent"]["name"] for _, parse in held_out_parses]
    assert seen.count(FALLBACK_INTENT) / len(seen) <= MAX_FALLBACK_SHARE
