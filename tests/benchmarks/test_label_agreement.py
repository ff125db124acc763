"""The second labelling belongs to its parts, and agreement is counted as it claims."""

from __future__ import annotations

import pytest

from benchmarks.label_agreement import (PARTS, SecondLabel, agreement, read_second_labels,
                                        scores_under_each_view, text_key)
from clinic_assistant.evaluation.real_questions import RealQuestion, read_real_questions


@pytest.mark.parametrize("part", PARTS)
def test_second_labels_name_the_questions_of_their_part_and_known_intents(project_root, domain,
                                                                          part):
    folder = project_root / "tests/nlu/real_questions"
    questions = read_real_questions(folder / f"{part}.yml")
    labels = read_second_labels(folder / "second_labeller" / f"{part}.yml", questions)
    intents = set(domain["intents"])
    assert len(labels) == len(questions)
    for label in labels:
        assert label.best in label.accept
        assert set(label.accept) <= intents, label


def test_labels_out_of_order_are_refused(tmp_path):
    questions = [RealQuestion("first", ("faq_cost",), "s"), RealQuestion("second", ("faq_risks",), "s")]
    path = tmp_path / "labels.yml"
    path.write_text("\n".join(f"- {{sha256: '{text_key(q.text)}', best: faq_cost, accept: [faq_cost]}}"
                              for q in reversed(questions)), encoding="utf-8")
    with pytest.raises(ValueError):
        read_second_labels(path, questions)
    path.write_text("", encoding="utf-8")
    with pytest.raises(ValueError):
        read_second_labels(path, [])
    path.write_text(f"- {{sha256: '{text_key('first')}', best: faq_cost, accept: faq_cost}}",
                    encoding="utf-8")
    with pytest.raises(ValueError):
        read_second_labels(path, questions[:1])


def test_agreement_and_the_four_views_are_counted_per_question():
    questions = [RealQuestion("a", ("faq_cost",), "s"),
                 RealQuestion("b", ("faq_risks", "faq_procedure"), "s"),
                 RealQuestion("c", ("out_of_scope",), "s"),
                 RealQuestion("d", ("red_flag_symptoms",), "s"),
                 RealQuestion("e", ("faq_symptoms",), "s")]
    labels = [SecondLabel(text_key("a"), "faq_cost", ("faq_cost",)),
              SecondLabel(text_key("b"), "faq_recovery", ("faq_recovery", "faq_procedure")),
              SecondLabel(text_key("c"), "faq_candidacy", ("faq_candidacy",)),
              SecondLabel(text_key("d"), "red_flag_symptoms", ("red_flag_symptoms",)),
              # A red flag the second labeller accepts without giving it first.
              SecondLabel(text_key("e"), "faq_symptoms", ("faq_symptoms", "red_flag_symptoms"))]
    result = agreement(questions, labels)
    assert result.second_best_in_first == 3 / 5
    assert result.first_and_second_overlap == 4 / 5
    assert result.identical_sets == 2 / 5
    assert (result.red_flags_first, result.red_flags_second, result.red_flags_both) == (1, 2, 1)
    assert (result.off_topic_first, result.off_topic_second, result.off_topic_both) == (1, 0, 0)
    views = scores_under_each_view(questions, labels, ["faq_cost", "faq_recovery",
                                                       "out_of_scope", "faq_symptoms", "faq_cost"])
    assert views == {"first labelling": 2 / 5, "second labelling": 2 / 5,
                     "both (strict)": 1 / 5, "either (lenient)": 3 / 5}
    with pytest.raises(ValueError):
        scores_under_each_view(questions, labels, ["faq_cost"])
    with pytest.raises(ValueError):
        agreement([], [])
