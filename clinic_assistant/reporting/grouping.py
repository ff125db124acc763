"""Group texts that ask the same thing, by the cosine similarity of sentence embeddings."""

from __future__ import annotations

from typing import Callable, List, Sequence

import numpy as np

#: Cosine similarity to a group's centre from which a text joins the group. all-MiniLM-L6-v2
#: gives 0.75-0.99 for rewordings of one question ("what's the wifi password" / "can I have
#: the wi-fi password") and below 0.55 for different questions on the same subject ("is there
#: wifi in the waiting room"); tests/clinic_assistant/reporting/test_grouping.py checks both.
SIMILARITY_THRESHOLD = 0.7

#: Turns texts into L2-normalised embeddings, one row each (e.g. MiniLMEncoder.encode).
Encode = Callable[[List[str]], np.ndarray]


def group_similar(
    texts: Sequence[str], encode: Encode, threshold: float = SIMILARITY_THRESHOLD
) -> List[List[int]]:
    """Indices of `texts` grouped by meaning, in order of each group's first text.

    Greedy: each text joins the group whose centre (the normalised mean of its members) is
    most similar, if that reaches `threshold`, else it starts a new group. Put the most
    frequent texts first so that they become the centres.
    """
    if not texts:
        return []
    vectors = np.asarray(encode(list(texts)), dtype=np.float64)
    groups: List[List[int]] = []
    sums: List[np.ndarray] = []
    for index, vector in enumerate(vectors):
        if sums:
            centres = np.vstack(sums)
            centres /= np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-12)
            similarity = centres @ vector
            best = int(np.argmax(similarity))
            if similarity[best] >= threshold:
                groups[best].append(index)
                sums[best] = sums[best] + vector
                continue
        groups.append([index])
        sums.append(vector.copy())
    return groups
