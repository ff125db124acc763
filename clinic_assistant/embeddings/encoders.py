"""The sentence encoders the NLU pipeline can use, by name."""

from __future__ import annotations

from typing import Callable, Dict, Protocol, Sequence

import numpy as np


class SentenceEncoder(Protocol):
    """Anything that turns texts into L2-normalised embeddings, one row per text."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of `texts`."""


def _minilm() -> SentenceEncoder:
    from clinic_assistant.embeddings.minilm import get_encoder

    return get_encoder()


def _e5() -> SentenceEncoder:
    from clinic_assistant.embeddings.e5 import get_e5_encoder

    return get_e5_encoder()


def _mpnet() -> SentenceEncoder:
    from clinic_assistant.embeddings.mpnet import get_mpnet_encoder

    return get_mpnet_encoder()


#: Encoder names as written in config.yml, each with the function that loads it (lazily).
ENCODERS: Dict[str, Callable[[], SentenceEncoder]] = {"minilm": _minilm, "e5": _e5, "mpnet": _mpnet}


def encoder_version(name: str) -> str:
    """What the embeddings of encoder `name` depend on, without loading it: the weights'
    package version and the graph's version (the classifier is retrained when it changes)."""
    from clinic_assistant.embeddings.cache import package_version

    graphs = {"e5": "clinic_assistant.embeddings.e5_graph",
              "minilm": "clinic_assistant.embeddings.minilm_graph"}
    if name not in graphs:
        return package_version(name)
    import importlib

    graph_version = importlib.import_module(graphs[name]).GRAPH_VERSION
    return f"{package_version(name)}-onnx-graph{graph_version}"


def get_sentence_encoder(name: str) -> SentenceEncoder:
    """The encoder called `name` in config.yml (loaded once per process)."""
    try:
        return ENCODERS[name]()
    except KeyError:
        known = ", ".join(ENCODERS)
        raise ValueError(f"Unknown sentence encoder {name!r}; known: {known}") from None
