"""The candidate benchmark's in-run memory of embeddings returns what the encoder computes."""

from __future__ import annotations

from typing import List, Sequence

import numpy as np

from benchmarks.encoder_candidates import Remembered


class CountingEncoder:
    """A tiny real encoder (length and first letter) that records the batches it is given."""

    def __init__(self) -> None:
        self.batches: List[List[str]] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.batches.append(list(texts))
        return np.array([[len(t), ord((t or " ")[0])] for t in texts], dtype=np.float32).reshape(-1, 2)


def test_each_text_is_encoded_once_and_rows_keep_their_order():
    inner = CountingEncoder()
    remembered = Remembered(inner)
    first = remembered.encode(["disc", "stem cells", "disc"])
    again = remembered.encode(["stem cells", "sciatica"])
    np.testing.assert_array_equal(first, inner.encode(["disc", "stem cells", "disc"]))
    np.testing.assert_array_equal(again, inner.encode(["stem cells", "sciatica"]))
    assert inner.batches[:2] == [["disc", "stem cells"], ["sciatica"]]
    assert remembered.encode([]).shape == (0, 2)
