"""Intent classification metrics: accuracy, per-intent F1, macro-F1, confusions."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Dict, List, Sequence, Tuple


@dataclass(frozen=True)
class IntentReport:
    """Scores of a set of predictions against the expected intents."""

    accuracy: float
    macro_f1: float
    f1_by_intent: Dict[str, float]
    support: Dict[str, int]
    confusions: List[Tuple[str, str, int]]


def intent_report(expected: Sequence[str], predicted: Sequence[str]) -> IntentReport:
    """Score predictions; macro-F1 averages over the intents that occur in `expected`."""
    if len(expected) != len(predicted) or not expected:
        raise ValueError("expected and predicted must be non-empty and of equal length")
    support = Counter(expected)
    true_positive = Counter(e for e, p in zip(expected, predicted) if e == p)
    predicted_count = Counter(predicted)
    f1: Dict[str, float] = {}
    for intent in sorted(support):
        tp = true_positive[intent]
        precision = tp / predicted_count[intent] if predicted_count[intent] else 0.0
        recall = tp / support[intent]
        f1[intent] = 2 * precision * recall / (precision + recall) if tp else 0.0
    confusions = Counter((e, p) for e, p in zip(expected, predicted) if e != p)
    return IntentReport(
        accuracy=sum(true_positive.values()) / len(expected),
        macro_f1=sum(f1.values()) / len(f1),
        f1_by_intent=f1,
        support=dict(support),
        confusions=[(e, p, n) for (e, p), n in confusions.most_common()],
    )


def recall(expected: Sequence[str], predicted: Sequence[str], intent: str) -> float:
    """Share of the examples labelled `intent` that were predicted as `intent`."""
    hits = [p == intent for e, p in zip(expected, predicted) if e == intent]
    return sum(hits) / len(hits) if hits else 1.0
