"""The numpy MiniLM encoder loads from the installed package and gives sensible embeddings."""

from __future__ import annotations

import numpy as np
import pytest

from clinic_assistant.embeddings.minilm import get_encoder


@pytest.fixture(scope="module")
def encoder():
    return get_encoder()


def test_embeddings_are_unit_vectors_of_384_dimensions(encoder):
    vectors = encoder.encode(["what is a herniated disc", "", "\U0001F600"])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_paraphrases_are_closer_than_unrelated_questions(encoder):
    a, b, c = encoder.encode(
        ["my disc popped out", "what is a slipped disc", "how much does the injection cost"])
    assert a @ b > a @ c + 0.1


def test_the_same_text_gives_the_same_embedding(encoder):
    first, second = encoder.encode(["stem cells for my back", "stem cells for my back"])
    assert np.array_equal(first, second)


def test_very_long_text_is_truncated_not_refused(encoder):
    assert encoder.encode(["disc " * 5000]).shape == (1, 384)
