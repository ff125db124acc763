"""A candidate third sentence encoder (all-mpnet-base-v2) against the shipped pipeline, on real
patients' questions, with the same harness as `benchmarks.real_questions`.

Variants: MPNet alone (whole message, like the other single-encoder rows), MPNet in place of
MiniLM, and MPNet as a third encoder, the last two as the full shipped pipeline (sentences,
scope screen, red-flag rules). Only the dev part chooses; the test part is printed to report.
Also prints the one-off time to embed the training examples with MPNet (cold cache only) and
each encoder's single-message latency on the first 40 dev questions.

Run: python -m benchmarks.encoder_candidates [--heldout]   (--heldout: also the team-written
sets; needs the five all-mpnet-base-v2 part packages,
or the model unpacked in MPNET_MODEL_DIR)
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Callable, Dict, List, Sequence

import numpy as np

from benchmarks.real_questions import (Predict, SystemResult, ensemble_system, evaluation_sets,
                                       real_table, score_system, shipped_config)
from clinic_assistant.content_check import training_examples
from clinic_assistant.embeddings.cache import CachedEncoder
from clinic_assistant.embeddings import encoders
from clinic_assistant.embeddings.encoders import SentenceEncoder, get_sentence_encoder
from clinic_assistant.nlu.sentence_ensemble import EnsembleConfig
from clinic_assistant.settings import get_settings

Trainer = Callable[[List[str], List[str]], Predict]


class Remembered:
    """An encoder that keeps, for this run only, the embedding of every text it has encoded:
    the variants score the same questions, so each encoder embeds each of them once."""

    def __init__(self, encoder: SentenceEncoder) -> None:
        """Wrap `encoder`."""
        self._encoder = encoder
        self._known: Dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of `texts`, new ones encoded in one batch."""
        new = list(dict.fromkeys(t for t in texts if t not in self._known))
        if new:
            self._known.update(zip(new, self._encoder.encode(new)))
        return (np.vstack([self._known[t] for t in texts]) if texts
                else self._encoder.encode([]))


def remember_embeddings() -> None:
    """Make every encoder of this process remember what it encoded (benchmark runs only)."""
    for name, load in list(encoders.ENCODERS.items()):
        remembered = Remembered(load())
        encoders.ENCODERS[name] = lambda remembered=remembered: remembered


def candidate_systems(project_root: Path) -> Dict[str, Trainer]:
    """The shipped pipeline first, then the MPNet variants (equal member weights, shipped C)."""
    shipped = shipped_config(project_root)

    def pipeline(members: Sequence[tuple]) -> Trainer:
        return ensemble_system(EnsembleConfig(members=tuple(members), C=shipped.C,
                                              class_weight=shipped.class_weight,
                                              segment_weight=shipped.segment_weight), project_root)

    return {
        "shipped pipeline: e5 + MiniLM": ensemble_system(shipped, project_root),
        "MPNet LR alone (whole message, no pattern files)": ensemble_system(
            EnsembleConfig(members=(("mpnet", 1.0),), C=shipped.C, segment_weight=0.0)),
        "MiniLM LR alone (whole message, no pattern files)": ensemble_system(
            EnsembleConfig(members=(("minilm", 1.0),), C=shipped.C, segment_weight=0.0)),
        "pipeline: e5 + MPNet (MPNet replaces MiniLM)": pipeline((("e5", 0.5), ("mpnet", 0.5))),
        "pipeline: e5 + MiniLM + MPNet": pipeline((("e5", 1 / 3), ("minilm", 1 / 3), ("mpnet", 1 / 3))),
    }


def training_embedding_seconds(texts: Sequence[str]) -> float:
    """Seconds to embed the training examples with MPNet through the training cache (the
    one-off cost when the cache is cold; near zero once it is filled)."""
    encoder = CachedEncoder("mpnet", get_sentence_encoder("mpnet"), get_settings().embedding_cache_dir)
    started = time.monotonic()
    encoder.encode(list(texts))
    return time.monotonic() - started


def single_message_latency(names: Sequence[str], messages: Sequence[str]) -> List[str]:
    """p50 / p95 milliseconds to encode one message at a time, per encoder, with the load.

    The encoders take turns on each message, so a burst of load on this shared machine slows
    them alike and their ratios stay comparable even when the absolute figures do not.
    """
    loaded = {name: get_sentence_encoder(name) for name in names}
    for encoder in loaded.values():
        encoder.encode(["warm up"])
    times: Dict[str, List[float]] = {name: [] for name in names}
    before = os.getloadavg()[0]
    for message in messages:
        for name, encoder in loaded.items():
            started = time.perf_counter()
            encoder.encode([message])
            times[name].append((time.perf_counter() - started) * 1000)
    lines = [f"single-message latency over {len(messages)} dev questions, load average "
             f"{before:.2f} before and {os.getloadavg()[0]:.2f} after (2 cores):"]
    lines += [f"{name}: p50 {np.percentile(values, 50):.0f} ms, p95 {np.percentile(values, 95):.0f} ms"
              for name, values in times.items()]
    return lines


def run_candidates(project_root: Path, parts: Sequence[str] = ("dev", "test")) -> List[SystemResult]:
    """Train and score every candidate system on the named evaluation sets (the real dev and
    test parts by default; "heldout" and "heldout_hard" are the team-written ones)."""
    pairs = training_examples(project_root)
    texts, labels = [t for _, t in pairs], [i for i, _ in pairs]
    print(f"bench: MPNet embedding of {len(texts)} training examples: "
          f"{training_embedding_seconds(texts):.0f} s", flush=True)
    topics = sorted({i for i in labels if i.startswith("faq_")})
    sets = {name: questions for name, questions in evaluation_sets(project_root).items()
            if name in parts}
    remember_embeddings()
    results = []
    for name, train in candidate_systems(project_root).items():
        print(f"bench: real questions, {name}", flush=True)
        started = time.monotonic()
        predict = train(texts, labels)
        results.append(score_system(name, predict, sets, topics, time.monotonic() - started))
    return results


if __name__ == "__main__":
    from clinic_assistant.settings import PROJECT_ROOT

    import sys

    dev = [q.text for q in evaluation_sets(PROJECT_ROOT)["dev"]][:40]
    # Latency first, while every encoder still encodes for real.
    latency = single_message_latency(("e5", "minilm", "mpnet"), dev)
    parts = ("dev", "test", "heldout", "heldout_hard") if "--heldout" in sys.argv else ("dev", "test")
    print("\n".join(real_table(run_candidates(PROJECT_ROOT, parts)) + [""] + latency))
