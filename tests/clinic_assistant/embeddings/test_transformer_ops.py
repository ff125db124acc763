"""The numpy building blocks of the encoders' forward passes."""

from __future__ import annotations

import numpy as np
import pytest

from clinic_assistant.embeddings.transformer_ops import (MAX_PADDING, encode_by_length, length_batches,
                                                       linear)


@pytest.mark.parametrize("shape", [(1, 9, 384), (3, 40, 384), (12, 384)])
def test_linear_is_x_times_the_transposed_weights_plus_bias(shape):
    rng = np.random.default_rng(1)
    x = rng.standard_normal(shape, dtype=np.float32)
    weight = rng.standard_normal((1536, 384), dtype=np.float32)
    bias = rng.standard_normal(1536, dtype=np.float32)
    result = linear(x, weight, bias)
    assert result.shape == (*shape[:-1], 1536)
    assert result.dtype == np.float32
    np.testing.assert_allclose(result, x @ weight.T + bias, rtol=1e-5, atol=1e-4)


def test_length_batches_keep_similar_lengths_together_and_cover_every_sequence():
    lengths = [60, 20, 22, 9, 10, 9, 11, 300]
    batches = length_batches(lengths, batch_size=3)
    assert sorted(i for batch in batches for i in batch) == list(range(len(lengths)))
    assert all(len(batch) <= 3 for batch in batches)
    for batch in batches:
        padded_tokens = len(batch) * max(lengths[i] for i in batch)
        assert padded_tokens <= MAX_PADDING * sum(lengths[i] for i in batch)
    # A long message is not padded together with its short sentences.
    assert [0] in batches and [7] in batches
    assert [1, 2] in batches


def test_encode_by_length_puts_each_embedding_in_its_text_s_row():
    token_ids = [[5] * n for n in (30, 3, 12, 3, 4)]
    seen = []

    def encode_batch(batch):
        seen.append(len(batch))
        return np.array([[len(ids)] * 2 for ids in batch], dtype=np.float32)

    out = encode_by_length(token_ids, encode_batch, dimensions=2, batch_size=32)
    assert out[:, 0].tolist() == [30, 3, 12, 3, 4]
    assert sum(seen) == 5 and len(seen) > 1
