"""How far two independent labellers agree on the real questions, and the model under each.

The accept-sets of `tests/nlu/real_questions/{dev,test}.yml` were written by the collectors. A
second labeller, blind to them and to the model, labelled the same questions again
(`tests/nlu/real_questions/second_labeller/`): the one answer it would give (`best`) and every
answer that serves (`accept`). How often that `best` falls in the first labelling's accept-set
is the score of an independent reader on the issue's "top intent in the accept-set" measure:
a measure of how much the labels leave open, not an upper bound (the second labeller was not
given the first labelling's rules, and a classifier can learn the first labelling's ways).

Where the two accept-sets differ, a third reader adjudicated, blind to who proposed what and to
the model (`tests/nlu/real_questions/adjudicated/`): the table says how often it sided with each.

    python -m benchmarks.label_agreement            # agreement only (no model)
    python -m benchmarks.label_agreement --model    # and the shipped classifier under each view

`--model` fits the shipped classifier with the pipeline's pattern files, as
`benchmarks.real_questions` does, and scores its top intent against the first accept-set, the
second, both (strict), either (lenient) and the adjudicated one.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

from clinic_assistant.evaluation.real_questions import (RealQuestion, read_adjudicated,
                                                        read_real_questions, text_key)
from clinic_assistant.yaml_files import read_yaml_file

PARTS = ("dev", "test")


@dataclass(frozen=True)
class SecondLabel:
    """The second labeller's reading of one question."""

    sha256: str
    best: str
    accept: Tuple[str, ...]


def read_second_labels(path: Path, questions: Sequence[RealQuestion]) -> List[SecondLabel]:
    """The second labels of one part, checked to belong to `questions`, in their order."""
    labels = []
    for item in read_yaml_file(path) or []:
        accept = item["accept"]
        if not isinstance(accept, list) or not all(isinstance(a, str) for a in accept):
            raise ValueError(f"{path}: accept must be a list of intents, not {accept!r}")
        labels.append(SecondLabel(str(item["sha256"]), str(item["best"]), tuple(accept)))
    if not labels or [label.sha256 for label in labels] != [text_key(q.text) for q in questions]:
        raise ValueError(f"{path} does not label the questions of its part in their order")
    return labels


@dataclass(frozen=True)
class Agreement:
    """Figures of agreement between the two labellings of one part. A question is a red flag
    in a labelling when its accept-set holds `red_flag_symptoms`, and off-topic when its
    accept-set is `out_of_scope` alone: the same reading for both labellings."""

    total: int
    second_best_in_first: float
    first_and_second_overlap: float
    identical_sets: float
    red_flags_first: int
    red_flags_second: int
    red_flags_both: int
    off_topic_first: int
    off_topic_second: int
    off_topic_both: int


def agreement(questions: Sequence[RealQuestion], labels: Sequence[SecondLabel]) -> Agreement:
    """How the second labelling agrees with the first."""
    if not questions or len(questions) != len(labels):
        raise ValueError("agreement needs one second label for each of at least one question")
    pairs = list(zip(questions, labels))
    # The second labelling read as questions, so both are judged by RealQuestion's own tests.
    second = [RealQuestion(q.text, s.accept, q.source) for q, s in pairs]
    red_first = [q.is_red_flag for q in questions]
    red_second = [q.is_red_flag for q in second]
    off_first = [q.is_off_topic for q in questions]
    off_second = [q.is_off_topic for q in second]
    return Agreement(
        total=len(pairs),
        second_best_in_first=sum(s.best in q.accept for q, s in pairs) / len(pairs),
        first_and_second_overlap=sum(bool(set(q.accept) & set(s.accept)) for q, s in pairs)
        / len(pairs),
        identical_sets=sum(set(q.accept) == set(s.accept) for q, s in pairs) / len(pairs),
        red_flags_first=sum(red_first), red_flags_second=sum(red_second),
        red_flags_both=sum(a and b for a, b in zip(red_first, red_second)),
        off_topic_first=sum(off_first), off_topic_second=sum(off_second),
        off_topic_both=sum(a and b for a, b in zip(off_first, off_second)))


def disagreements(questions: Sequence[RealQuestion], labels: Sequence[SecondLabel]) -> List[str]:
    """The keys of the questions whose two accept-sets differ: the ones to adjudicate."""
    return [s.sha256 for q, s in zip(questions, labels) if set(q.accept) != set(s.accept)]


def adjudication_sides(questions: Sequence[RealQuestion], labels: Sequence[SecondLabel],
                       adjudicated: Sequence[RealQuestion]) -> Tuple[int, int, int]:
    """Among the disagreements, how often the adjudicated accept-set is the first labelling's,
    the second's, or neither."""
    rows = [(set(q.accept), set(s.accept), set(a.accept))
            for q, s, a in zip(questions, labels, adjudicated) if set(q.accept) != set(s.accept)]
    first = sum(a == f for f, _, a in rows)
    second = sum(a == s for _, s, a in rows)
    return first, second, len(rows) - first - second


def scores_under_each_view(questions: Sequence[RealQuestion], labels: Sequence[SecondLabel],
                           adjudicated: Sequence[RealQuestion], top: Sequence[str]
                           ) -> Dict[str, float]:
    """A system's top intents scored against the first accept-set, the second, both, either and
    the adjudicated one."""
    if not questions or not len(questions) == len(labels) == len(adjudicated) == len(top):
        raise ValueError("one second label, one adjudicated question and one top intent are "
                         "needed for each question")
    rows = list(zip(questions, labels, top))
    return {
        "first labelling": sum(t in q.accept for q, _, t in rows) / len(rows),
        "second labelling": sum(t in s.accept for _, s, t in rows) / len(rows),
        "both (strict)": sum(t in q.accept and t in s.accept for q, s, t in rows) / len(rows),
        "either (lenient)": sum(t in q.accept or t in s.accept for q, s, t in rows) / len(rows),
        "adjudicated": sum(t in a.accept for a, t in zip(adjudicated, top)) / len(rows),
    }


def shipped_top_intents(project_root: Path, parts: Dict[str, List[RealQuestion]]
                        ) -> Dict[str, List[str]]:
    """The shipped classifier's top intents with the pattern files, fitted once."""
    from benchmarks.real_questions import ensemble_system, shipped_config
    from clinic_assistant.content_check import training_examples

    pairs = training_examples(project_root)
    predict = ensemble_system(shipped_config(project_root), project_root)(
        [t for _, t in pairs], [i for i, _ in pairs])
    return {part: predict([q.text for q in questions]) for part, questions in parts.items()}


def main() -> None:
    """Print agreement per part, and with `--model` the shipped classifier under each view."""
    from clinic_assistant.settings import PROJECT_ROOT

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", action="store_true", help="also score the shipped classifier")
    args = parser.parse_args()
    folder = PROJECT_ROOT / "tests/nlu/real_questions"
    parts = {p: read_real_questions(folder / f"{p}.yml") for p in PARTS}
    try:
        labels = {p: read_second_labels(folder / "second_labeller" / f"{p}.yml", parts[p])
                  for p in PARTS}
        adjudicated = {p: read_adjudicated(folder / "adjudicated" / f"{p}.yml", parts[p])
                       for p in PARTS}
    except ValueError as problem:
        raise SystemExit(str(problem)) from None
    print("| part | questions | second's answer in first accept-set | accept-sets overlap "
          "| identical | red flags first / second / both | off-topic first / second / both "
          "| adjudicated as first / as second / otherwise |")
    print("|---|---|---|---|---|---|---|---|")
    for part in PARTS:
        a = agreement(parts[part], labels[part])
        sides = adjudication_sides(parts[part], labels[part], adjudicated[part])
        print(f"| {part} | {a.total} | {a.second_best_in_first:.3f} | "
              f"{a.first_and_second_overlap:.3f} | {a.identical_sets:.3f} | "
              f"{a.red_flags_first} / {a.red_flags_second} / {a.red_flags_both} | "
              f"{a.off_topic_first} / {a.off_topic_second} / {a.off_topic_both} | "
              f"{sides[0]} / {sides[1]} / {sides[2]} |")
    if args.model:
        tops = shipped_top_intents(PROJECT_ROOT, parts)
        print("\nShipped classifier with the pattern files, top intent in the accept-set:\n")
        scores = {p: scores_under_each_view(parts[p], labels[p], adjudicated[p], tops[p])
                  for p in PARTS}
        views = list(scores["dev"])
        print("| part | " + " | ".join(views) + " |")
        print("|---|" + "---|" * len(views))
        for part in PARTS:
            print(f"| {part} | " + " | ".join(f"{scores[part][v]:.3f}" for v in views) + " |")


if __name__ == "__main__":
    main()
