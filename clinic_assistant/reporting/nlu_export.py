"""The unanswered messages as Rasa NLU training data (unanswered.yml) for staff to label."""

from __future__ import annotations

import re
from typing import Iterable, List, Set

from clinic_assistant.evaluation.examples import normalise_example
from clinic_assistant.reporting.texts import shorten

LABEL_INTENT = "label_me"
#: Characters of a message kept as a training example.
EXAMPLE_CHARACTERS = 1000
HEADER = """\
# Messages patients sent that the assistant could not answer (fallback, "did you mean"
# rejected, out of scope), as Rasa NLU training data. Phone numbers and email addresses are
# replaced by [phone] / [email]. A space is put after "]" where Rasa would read entity markup.
# A message longer than 1,000 characters is shortened (it ends in "…").
#
# This file contains patient messages: keep it like patient records and delete it when done.
#
# For each example below, either MOVE it to the right intent file in data/nlu/ (an existing
# topic, or a new faq_* intent: see "How to add a question" in README.md), or DELETE it.
# Never copy sentences from the held-out test set (tests/nlu/heldout.yml) into data/nlu/.
# Never put this file itself into data/: `label_me` is not an intent.
"""

# Characters YAML does not allow in a document, and line breaks.
_NOT_PRINTABLE = re.compile(
    "[^\x09\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|\ufeff"
)

# Rasa reads "[text](entity)", "[text]{...}" and "[text][...]" as entity annotations.
_ENTITY_MARKUP = re.compile(r"\](?=[({\[])")


def example_line(text: str) -> str:
    """One message as one training example: one line, printable, no entity markup, at most
    EXAMPLE_CHARACTERS long."""
    text = _ENTITY_MARKUP.sub("] ", _NOT_PRINTABLE.sub(" ", text))
    return shorten(text, EXAMPLE_CHARACTERS)


def training_examples(texts: Iterable[str]) -> List[str]:
    """Typed messages as example lines, without button payloads, blanks and repeats."""
    seen: Set[str] = set()
    lines = []
    for text in texts:
        line = example_line(text)
        key = normalise_example(line) or line
        if line and not line.startswith("/") and key not in seen:
            seen.add(key)
            lines.append(line)
    return lines


def render_nlu_yaml(texts: Iterable[str]) -> str:
    """unanswered.yml: one `label_me` intent whose examples are the messages."""
    examples = training_examples(texts)
    if not examples:
        return "\n".join([HEADER, "# Nothing to label: every message was answered.",
                          'version: "3.1"', "nlu: []"]) + "\n"
    lines = [HEADER, 'version: "3.1"', "nlu:", f"- intent: {LABEL_INTENT}", "  examples: |"]
    lines += [f"    - {line}" for line in examples]
    return "\n".join(lines) + "\n"
