"""Intent rankings: probabilities to ranked lists, blending two rankings, cutting them short."""

from __future__ import annotations

from typing import Any, Dict, List, Sequence

import numpy as np


def softmax_rows(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax."""
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def ranking_from(labels: Sequence[str], probabilities: Sequence[float]) -> List[Dict[str, Any]]:
    """A Rasa intent ranking (best first) from labels and their probabilities."""
    pairs = sorted(zip(labels, probabilities), key=lambda pair: -pair[1])
    return [{"name": str(name), "confidence": float(p)} for name, p in pairs]


def blend(
    probabilities: Dict[str, float], ranking: List[Dict[str, Any]], weight: float
) -> List[Dict[str, Any]]:
    """Weighted average of two intent distributions, best first.

    Intents missing from `ranking` count as probability 0 there; with an empty ranking the
    new probabilities are used alone.
    """
    if not ranking:
        weight = 1.0
    previous = {str(entry["name"]): float(entry.get("confidence") or 0.0) for entry in ranking}
    names = set(probabilities) | set(previous)
    blended = {
        name: weight * probabilities.get(name, 0.0) + (1 - weight) * previous.get(name, 0.0)
        for name in names
    }
    return ranking_from(list(blended), list(blended.values()))


def truncate(ranking: List[Dict[str, Any]], length: int) -> List[Dict[str, Any]]:
    """The first `length` entries of a ranking; 0 keeps them all (as DIET's ranking_length)."""
    return ranking[:length] if length > 0 else ranking
