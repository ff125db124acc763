"""The e5 encoder: unit vectors, and passages found by the queries that ask for them."""

from __future__ import annotations

import numpy as np
import pytest

from clinic_assistant.embeddings.e5 import get_e5_encoder


@pytest.fixture(scope="module")
def encoder():
    return get_e5_encoder()


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
