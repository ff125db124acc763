"""Tidy new example questions and sort out the ones that cannot be used, with the reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, FrozenSet, Iterable, List, Tuple

from clinic_assistant.evaluation.examples import normalise_example


@dataclass
class ExampleReview:
    """New examples to write, ones already there, and refused ones with the reason."""

    new: List[str] = field(default_factory=list)
    already_there: List[str] = field(default_factory=list)
    refused: List[str] = field(default_factory=list)


def tidy_example(text: str) -> str:
    """One line, single spaces, without a leading '- ' copied from a data file."""
    text = " ".join(text.split())
    return text[2:].strip() if text.startswith("- ") else text


def review_examples(
    intent: str,
    examples: Iterable[str],
    training: Iterable[Tuple[str, str]],
    held_out: FrozenSet[str],
) -> ExampleReview:
    """Check new examples for `intent` against the training data and the held-out test set."""
    labelled: Dict[str, str] = {normalise_example(text): name for name, text in training}
    review = ExampleReview()
    for raw in examples:
        text = tidy_example(raw)
        key = normalise_example(text)
        if not text:
            continue
        if not key:
            review.refused.append(f"'{text}' has no words in it.")
        elif "[" in text or "]" in text:
            review.refused.append(f"'{text}': square brackets mark entities in training data. "
                                  "Leave them out.")
        elif key in held_out:
            review.refused.append(
                f"'{text}' is in a test set (tests/nlu/heldout.yml or tests/nlu/real_questions/), "
                "which must never be copied into the training data. Write a sentence of your own."
            )
        elif labelled.get(key, intent) != intent:
            review.refused.append(
                f"'{text}' is already an example of '{labelled[key]}'. A sentence can belong to "
                "one intent only: leave it out, or reword it."
            )
        elif key in labelled:
            review.already_there.append(text)
        else:
            review.new.append(text)
            labelled[key] = intent
    return review
