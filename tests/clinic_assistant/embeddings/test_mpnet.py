"""The numpy MPNet encoder: MPNet's relative-position buckets, and embeddings from the real
all-mpnet-base-v2 weights (those tests are skipped when the part packages are not installed)."""

from __future__ import annotations

import json
import math

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


# A tiny MPNet with random weights, to check the batched forward pass against a plain
# transcription of transformers' MPNetModel formulas, one text and one token at a time.
WORDS = ["disc", "stem", "cells", "back", "pain", "how", "much", "is", "it", "the", "injection",
         "safe", "my", "hurts", "after", "surgery", "?", "."]
TINY = {"num_hidden_layers": 2, "num_attention_heads": 2, "hidden_size": 8,
        "intermediate_size": 16, "layer_norm_eps": 1e-5, "pad_token_id": 1,
        "relative_attention_num_buckets": 32, "max_position_embeddings": 80}


def tiny_model(folder):
    from safetensors.numpy import save_file
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors

    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3, "[UNK]": 4}
    vocab.update({word: 5 + n for n, word in enumerate(WORDS)})
    tokenizer = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.post_processor = processors.RobertaProcessing(("</s>", 2), ("<s>", 0))
    tokenizer.save(str(folder / "tokenizer.json"))

    rng = np.random.default_rng(7)
    hidden, inner = TINY["hidden_size"], TINY["intermediate_size"]

    def r(*shape, scale=0.5):
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    weights = {"embeddings.word_embeddings.weight": r(len(vocab), hidden),
               "embeddings.position_embeddings.weight": r(TINY["max_position_embeddings"], hidden),
               "embeddings.LayerNorm.weight": 1 + r(hidden, scale=0.1),
               "embeddings.LayerNorm.bias": r(hidden, scale=0.1),
               "encoder.relative_attention_bias.weight": r(32, TINY["num_attention_heads"], scale=1.5)}
    for index in range(TINY["num_hidden_layers"]):
        layer = f"encoder.layer.{index}."
        for name in "qkvo":
            weights[f"{layer}attention.attn.{name}.weight"] = r(hidden, hidden)
            weights[f"{layer}attention.attn.{name}.bias"] = r(hidden, scale=0.1)
        weights[f"{layer}intermediate.dense.weight"] = r(inner, hidden)
        weights[f"{layer}intermediate.dense.bias"] = r(inner, scale=0.1)
        weights[f"{layer}output.dense.weight"] = r(hidden, inner)
        weights[f"{layer}output.dense.bias"] = r(hidden, scale=0.1)
        for norm in ("attention.LayerNorm", "output.LayerNorm"):
            weights[f"{layer}{norm}.weight"] = 1 + r(hidden, scale=0.1)
            weights[f"{layer}{norm}.bias"] = r(hidden, scale=0.1)
    save_file(weights, str(folder / "model.safetensors"))
    (folder / "config.json").write_text(json.dumps(TINY))
    return weights, tokenizer


def transformers_bucket(relative_position):
    """MPNetEncoder.relative_position_bucket for one (key - query) distance, in plain Python."""
    n, ret, half = -relative_position, 0, 16
    if n < 0:
        ret += half
    n = abs(n)
    if n < 8:
        return ret + n
    return ret + min(8 + int(math.log(n / 8) / math.log(128 / 8) * (half - 8)), half - 1)


def reference_embedding(w, ids):
    """One text's embedding, computed token by token in float64 from transformers' formulas."""
    heads, eps = TINY["num_attention_heads"], TINY["layer_norm_eps"]
    size = TINY["hidden_size"] // heads
    w = {name: value.astype(np.float64) for name, value in w.items()}

    def norm(v, name):
        return (v - v.mean()) / math.sqrt(v.var() + eps) * w[name + ".weight"] + w[name + ".bias"]

    def linear(v, name):
        return w[name + ".weight"] @ v + w[name + ".bias"]

    # create_position_ids_from_input_ids: real tokens count from padding_idx + 1.
    x = [norm(w["embeddings.word_embeddings.weight"][t] + w["embeddings.position_embeddings.weight"][2 + i],
              "embeddings.LayerNorm") for i, t in enumerate(ids)]
    for index in range(TINY["num_hidden_layers"]):
        layer = f"encoder.layer.{index}."
        q = [linear(v, layer + "attention.attn.q") for v in x]
        k = [linear(v, layer + "attention.attn.k") for v in x]
        v_ = [linear(v, layer + "attention.attn.v") for v in x]
        new = []
        for i in range(len(x)):
            context = []
            for h in range(heads):
                part = slice(h * size, (h + 1) * size)
                scores = [q[i][part] @ k[j][part] / math.sqrt(size)
                          + w["encoder.relative_attention_bias.weight"][transformers_bucket(j - i), h]
                          for j in range(len(x))]
                p = np.exp(np.array(scores) - max(scores))
                p /= p.sum()
                context.append(sum(p[j] * v_[j][part] for j in range(len(x))))
            attended = norm(linear(np.concatenate(context), layer + "attention.attn.o") + x[i],
                            layer + "attention.LayerNorm")
            hidden = linear(attended, layer + "intermediate.dense")
            hidden = 0.5 * hidden * (1 + np.vectorize(math.erf)(hidden / math.sqrt(2)))
            new.append(norm(linear(hidden, layer + "output.dense") + attended, layer + "output.LayerNorm"))
        x = new
    pooled = np.mean(x, axis=0)
    return pooled / np.linalg.norm(pooled)


def test_the_batched_forward_pass_matches_mpnet_token_by_token(tmp_path):
    from clinic_assistant.embeddings.mpnet import MPNetEncoder

    weights, tokenizer = tiny_model(tmp_path)
    encoder = MPNetEncoder(tmp_path)
    texts = ["stem cells", "How much is the injection? Is it safe?",
             " ".join(WORDS * 3),  # 56 tokens: distances in the log-spaced buckets
             "my back hurts after surgery", ""]
    batched = encoder.encode(texts)
    assert batched.shape == (len(texts), TINY["hidden_size"])
    for text, row in zip(texts, batched):
        expected = reference_embedding(weights, tokenizer.encode(text).ids)
        np.testing.assert_allclose(row, expected, atol=2e-5)
    # The position bias matters here, so a wrong bucket would have shown.
    assert relative_position_buckets(56).max() > 24
