"""Numpy building blocks shared by the encoders' forward passes (MiniLM, MPNet).

A linear layer, layer norm, exact (erf) GELU, softmax, padding a batch of token sequences, mean
pooling with L2 normalisation as sentence-transformers does, and encoding texts in batches of
similar length.
"""

from __future__ import annotations

from typing import Callable, List, Sequence, Tuple

import numpy as np
from scipy.special import erf


def linear(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """`x @ weight.T + bias` over the last axis of `x`, for a weight stored (out, in).

    Computed as `(weight @ x.T).T` on the rows of `x`: with the weights as the left operand,
    OpenBLAS streams them through memory faster when `x` has few rows (a message's dozen
    tokens), about a quarter less CPU for MiniLM on a short message. The sums are the same up
    to float32 rounding (about 1e-7 in the embeddings).
    """
    rows = x.reshape(-1, x.shape[-1])
    return ((weight @ rows.T).T + bias).reshape(*x.shape[:-1], weight.shape[0])


def layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    """Layer normalisation over the last axis."""
    mean = x.mean(axis=-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + eps) * weight + bias


def gelu(x: np.ndarray) -> np.ndarray:
    """The exact GELU (erf form), as BERT's and MPNet's "gelu"."""
    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))


def softmax(x: np.ndarray) -> np.ndarray:
    """Softmax over the last axis."""
    shifted = np.exp(x - x.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def padded(token_ids: Sequence[Sequence[int]], pad_id: int = 0) -> Tuple[np.ndarray, np.ndarray]:
    """Token sequences right-padded to one length, and a mask that is 1 on real tokens."""
    length = max(len(ids) for ids in token_ids)
    ids = np.full((len(token_ids), length), pad_id, dtype=np.int64)
    mask = np.zeros((len(token_ids), length), dtype=np.float32)
    for row, sequence in enumerate(token_ids):
        ids[row, : len(sequence)] = sequence
        mask[row, : len(sequence)] = 1.0
    return ids, mask


def masked_mean(x: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The mean of each row's real-token vectors (`mask` is 1 on real tokens)."""
    return (x * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)


def l2_normalised(vectors: np.ndarray) -> np.ndarray:
    """Each row divided by its length (a zero row stays zero)."""
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def mean_pooled(x: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The mean of each row's real-token vectors, L2-normalised."""
    return l2_normalised(masked_mean(x, mask))


#: A batch is padded to its longest sequence: a sequence joins a batch only while the padded
#: tokens stay within this factor of the real ones (a long message and its short sentences are
#: then encoded apart instead of every sentence being padded to the message's length).
MAX_PADDING = 1.25


def length_batches(lengths: Sequence[int], batch_size: int) -> List[List[int]]:
    """Indices of the sequences grouped into batches of similar length, shortest first.

    At most `batch_size` a batch, and at most `MAX_PADDING` times as many tokens once padded to
    the batch's longest sequence as the batch really has.
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: List[List[int]] = []
    real = 0
    for index in order:
        batch = batches[-1] if batches else None
        # Sorted: the newcomer is the batch's longest, every row is padded to its length.
        if (batch is None or len(batch) >= batch_size
                or lengths[index] * (len(batch) + 1) > MAX_PADDING * (real + lengths[index])):
            batches.append([index])
            real = lengths[index]
        else:
            batch.append(index)
            real += lengths[index]
    return batches


def encode_by_length(token_ids: List[List[int]],
                     encode_batch: Callable[[List[List[int]]], np.ndarray],
                     dimensions: int, batch_size: int) -> np.ndarray:
    """Embeddings of token sequences, one row each, encoded in batches of similar length
    (`length_batches`), so padding stays short; padded positions must be masked out by
    `encode_batch`, which then gives each text the embedding it has alone."""
    out = np.zeros((len(token_ids), dimensions), dtype=np.float32)
    for rows in length_batches([len(ids) for ids in token_ids], batch_size):
        out[rows] = encode_batch([token_ids[i] for i in rows])
    return out
