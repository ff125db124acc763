"""The second labelling belongs to its parts, and agreement is counted as it claims."""

from __future__ import annotations

import pytest

from benchmarks.label_agreement import (PARTS, SecondLabel, adjudication_sides, agreement,
                                        disagreements, read_second_labels, scores_under_each_view)
from clinic_assistant.evaluation.real_questions import (RealQuestion, read_adjudicated,
                                                        read_real_questions, text_key)
from clinic_assistant.yaml_files import read_yaml_file


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
    # The adjudicator sides with the second labelling on b, with neither on c, with the first on e.
    adjudicated = [questions[0], RealQuestion("b", ("faq_recovery", "faq_procedure"), "s"),
                   RealQuestion("c", ("faq_candidacy", "faq_cost"), "s"), questions[3],
                   questions[4]]
    assert disagreements(questions, labels) == [text_key(t) for t in "bce"]
    assert adjudication_sides(questions, labels, adjudicated) == (1, 1, 1)
    views = scores_under_each_view(questions, labels, adjudicated, [
        "faq_cost", "faq_recovery", "out_of_scope", "faq_symptoms", "faq_cost"])
    assert views == {"first labelling": 2 / 5, "second labelling": 2 / 5,
                     "both (strict)": 1 / 5, "either (lenient)": 3 / 5, "adjudicated": 2 / 5}
    views = scores_under_each_view(questions, labels, adjudicated, [
        "faq_cost", "faq_recovery", "faq_candidacy", "faq_symptoms", "faq_cost"])
    assert (views["first labelling"], views["adjudicated"]) == (1 / 5, 3 / 5)
    with pytest.raises(ValueError):
        scores_under_each_view(questions, labels, adjudicated, ["faq_cost"])
    with pytest.raises(ValueError):
        agreement([], [])


@pytest.mark.parametrize("part", PARTS)
def test_the_adjudication_settles_every_disagreement_and_only_with_proposed_intents(
        project_root, part):
    folder = project_root / "tests/nlu/real_questions"
    questions = read_real_questions(folder / f"{part}.yml")
    labels = read_second_labels(folder / "second_labeller" / f"{part}.yml", questions)
    items = read_yaml_file(folder / "adjudicated" / f"{part}.yml")
    assert [item["sha256"] for item in items] == disagreements(questions, labels)
    adjudicated = {text_key(q.text): q for q in read_adjudicated(folder / "adjudicated"
                                                                 / f"{part}.yml", questions)}
    for item, (question, label) in zip(items, [(q, s) for q, s in zip(questions, labels)
                                               if set(q.accept) != set(s.accept)]):
        proposed = set(question.accept) | set(label.accept) | {"out_of_scope"}
        assert set(adjudicated[item["sha256"]].accept) == set(item["accept"]) <= proposed
        assert item["best"] in item.get("adjudicator_accept", item["accept"])
        # The product's red-flag policy: an emergency of the first labelling stays one.
        assert question.is_red_flag <= adjudicated[item["sha256"]].is_red_flag


def test_an_adjudication_out_of_order_or_for_another_question_is_refused(tmp_path):
    questions = [RealQuestion("first", ("faq_cost",), "s"), RealQuestion("second", ("faq_risks",), "s")]
    path = tmp_path / "adjudicated.yml"
    path.write_text(f"- {{sha256: '{text_key('second')}', accept: [faq_cost]}}", encoding="utf-8")
    assert [q.accept for q in read_adjudicated(path, questions)] == [("faq_cost",), ("faq_cost",)]
    for keys in (["second", "first"], ["third"], ["first", "first"]):
        path.write_text("\n".join(f"- {{sha256: '{text_key(k)}', accept: [faq_cost]}}"
                                  for k in keys), encoding="utf-8")
        with pytest.raises(ValueError):
            read_adjudicated(path, questions)
    path.write_text(f"- {{sha256: '{text_key('first')}', accept: faq_cost}}", encoding="utf-8")
    with pytest.raises(ValueError):
        read_adjudicated(path, questions)
