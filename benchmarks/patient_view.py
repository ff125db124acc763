"""What patients see: each held-out message sent through the running assistant's REST channel.

`rasa test nlu` undoes FallbackClassifier decisions; this counts what the patient actually gets:
the right answer, a clarification, or a wrong answer.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Dict, List, Sequence, Tuple

from clinic_assistant.content import Content
from clinic_assistant.evaluation.real_questions import CLARIFICATION_KEYS, expected_text

Say = Callable[[str, str], List[Dict]]


@dataclass(frozen=True)
class PatientView:
    """Shares of outcomes over a held-out set, as patients see them."""

    total: int
    outcomes: Dict[str, int]
    out_of_scope_with_medical_answer: int
    red_flag_recall: float

    def share(self, outcome: str) -> float:
        """Share of messages with this outcome."""
        return self.outcomes.get(outcome, 0) / self.total if self.total else 0.0


def outcome(content: Content, intent: str, texts: Sequence[str]) -> str:
    """'correct', 'clarification' or 'wrong' for one reply."""
    if expected_text(content, intent) in texts:
        return "correct"
    if any(content.message(key) in texts for key in CLARIFICATION_KEYS):
        return "clarification"
    return "wrong"


def measure(say: Say, content: Content, examples: Sequence[Tuple[str, str]]) -> PatientView:
    """Send every example as a new patient (after a greeting) and classify the replies."""
    answers = {content.render(a.answer) for a in content.answers.values()}
    counts: Counter = Counter()
    medical_oos = 0
    red_flags = red_flags_seen = 0
    for intent, text in examples:
        sender = f"bench-{uuid.uuid4().hex[:10]}"
        say(sender, "hello")
        texts = [m.get("text") or "" for m in say(sender, text)]
        counts[outcome(content, intent, texts)] += 1
        if intent == "out_of_scope" and answers & set(texts):
            medical_oos += 1
        if intent == "red_flag_symptoms":
            red_flags += 1
            red_flags_seen += content.message("emergency_advice") in texts
    recall = red_flags_seen / red_flags if red_flags else 1.0
    return PatientView(len(examples), dict(counts), medical_oos, recall)
