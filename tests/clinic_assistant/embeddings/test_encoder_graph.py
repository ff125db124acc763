"""onnxruntime's threads follow OMP_NUM_THREADS, as the other numeric libraries do."""

from __future__ import annotations

import pytest

from clinic_assistant.embeddings.encoder_graph import onnx_threads


@pytest.mark.parametrize("env, threads", [
    ({"OMP_NUM_THREADS": "1"}, 1),   # serving (clinic_assistant/serving/threads.py)
    ({}, 0),                          # training: onnxruntime's default, one per core
    ({"OMP_NUM_THREADS": "two"}, 0),
])
def test_onnxruntime_follows_omp_num_threads(env, threads):
    assert onnx_threads(env) == threads
