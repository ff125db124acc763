"""The numpy building blocks of the encoders' forward passes."""

from __future__ import annotations

import numpy as np
import pytest

from clinic_assistant.embeddings.transformer_ops import linear


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
