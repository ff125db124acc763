"""The numpy MPNet encoder: MPNet's relative-position buckets, and embeddings from the real
all-mpnet-base-v2 weights (those tests are skipped when the part packages are not installed)."""

from __future__ import annotations

import numpy as np
import pytest

from clinic_assistant.embeddings.mpnet import DIMENSIONS, relative_position_buckets

#: Distance (query position minus key position) -> bucket, worked out by hand from MPNet's
#: formula: 8 exact buckets, then 8 + floor(8 * ln(d / 8) / ln(16)) up to 15, so the bucket
#: rises at 8, 12, 16, 23, 32, 46, 64 and 91.
BUCKET_OF_DISTANCE = {0: 0, 1: 1, 7: 7, 8: 8, 11: 8, 12: 9, 15: 9, 16: 10, 22: 10, 23: 11,
                      31: 11, 32: 12, 45: 12, 46: 13, 63: 13, 64: 14, 90: 14, 91: 15, 127: 15,
                      128: 15, 299: 15}


def test_relative_position_buckets_match_mpnet():
    buckets = relative_position_buckets(300)
    for distance, bucket in BUCKET_OF_DISTANCE.items():
        assert buckets[distance, 0] == bucket, distance  # key before the query
        if distance:
            assert buckets[0, distance] == 16 + bucket, distance  # key after the query
    assert buckets.shape == (300, 300)
    assert buckets.min() == 0 and buckets.max() == 31
    # Only the distance counts: every diagonal holds one bucket.
    assert all(len(set(np.diagonal(buckets, k))) == 1 for k in range(-299, 300))


@pytest.fixture(scope="module")
def encoder():
    from clinic_assistant.embeddings.mpnet import get_mpnet_encoder

    try:
        return get_mpnet_encoder()
    except FileNotFoundError as error:
        pytest.skip(str(error))


def test_embeddings_are_unit_vectors_of_768_dimensions(encoder):
    vectors = encoder.encode(["what is a herniated disc", "", "\U0001F600"])
    assert vectors.shape == (3, DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_paraphrases_are_closer_than_unrelated_questions(encoder):
    a, b, c, d = encoder.encode(["my disc popped out", "what is a slipped disc",
                                 "how much does the injection cost", "what is the price of the shot"])
    assert a @ b > a @ c + 0.15
    assert c @ d > c @ a + 0.15


def test_a_text_encoded_in_a_padded_batch_equals_it_alone(encoder):
    texts = ["stem cells", "can stem cells regrow a damaged disc in my lower back after surgery"]
    together = encoder.encode(texts)
    alone = np.vstack([encoder.encode([text]) for text in texts])
    assert np.allclose(together, alone, atol=1e-5)


def test_very_long_text_is_truncated_not_refused(encoder):
    assert encoder.encode(["disc " * 5000]).shape == (1, DIMENSIONS)
