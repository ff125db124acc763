"""Systems compared side by side on real patients' questions (dev and test parts) and on the
team-written held-out sets, all trained on the same `data/nlu/` in the same run.

Classifier-level systems are fitted here with the project's own functions
(`clinic_assistant.nlu.sentence_ensemble`, `tfidf_model`), so their figures are the model that
runs; with `rasa=True` the previous shipped pipeline (DIET ensemble) and Rasa's `rasa init`
pipeline are trained with `rasa train nlu` and scored through Rasa too.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Sequence

import yaml

from clinic_assistant.content_check import training_examples
from clinic_assistant.embeddings.cache import CachedEncoder
from clinic_assistant.embeddings.encoders import get_sentence_encoder
from clinic_assistant.evaluation.examples import read_examples
from clinic_assistant.evaluation.real_questions import (RealQuestion, read_real_questions,
                                                        score_top_intents)
from clinic_assistant.nlu.sentence_ensemble import EnsembleConfig, fit_ensemble
from clinic_assistant.settings import get_settings

Predict = Callable[[Sequence[str]], List[str]]


@dataclass(frozen=True)
class SystemResult:
    """One system's top-in-accept share on each evaluation set, and its training time."""

    system: str
    scores: Dict[str, float]
    red_flag_recall: float
    train_seconds: float


def shipped_config(project_root: Path) -> EnsembleConfig:
    """The SentenceEmbeddingClassifier options of the project's config.yml."""
    config = yaml.safe_load((project_root / "config.yml").read_text(encoding="utf-8"))
    for component in config["pipeline"]:
        if component["name"].endswith("SentenceEmbeddingClassifier"):
            return EnsembleConfig.from_rasa(component)
    raise SystemExit("config.yml has no SentenceEmbeddingClassifier")


def ensemble_system(config: EnsembleConfig) -> Callable[[List[str], List[str]], Predict]:
    """A trainer for a sentence-ensemble variant."""
    def train(texts: List[str], labels: List[str]) -> Predict:
        model = fit_ensemble(texts, labels, config, get_settings().embedding_cache_dir)
        return lambda batch: [model.labels[int(r.probabilities.argmax())]
                              for r in model.read_messages(list(batch))]
    return train


def nearest_example_system(encoder_name: str) -> Callable[[List[str], List[str]], Predict]:
    """Retrieval: the intent of the most similar training example (cosine)."""
    def train(texts: List[str], labels: List[str]) -> Predict:
        encoder = CachedEncoder(encoder_name, get_sentence_encoder(encoder_name),
                                get_settings().embedding_cache_dir)
        examples = encoder.encode(texts)
        plain = get_sentence_encoder(encoder_name)
        return lambda batch: [labels[int(i)] for i in
                              (plain.encode(list(batch)) @ examples.T).argmax(axis=1)]
    return train


def systems(project_root: Path) -> Dict[str, Callable[[List[str], List[str]], Predict]]:
    """Every classifier-level system, the shipped one first."""
    shipped = shipped_config(project_root)
    return {
        "shipped: e5 + MiniLM LR, sentences": ensemble_system(shipped),
        "e5 + MiniLM LR, whole message": ensemble_system(
            EnsembleConfig(members=shipped.members, segment_weight=0.0)),
        "e5 + MiniLM + TF-IDF LR": ensemble_system(
            EnsembleConfig(members=(("e5", 0.4), ("minilm", 0.4), ("tfidf", 0.2)),
                           segment_weight=shipped.segment_weight)),
        "multilingual-e5-small LR alone": ensemble_system(
            EnsembleConfig(members=(("e5", 1.0),), segment_weight=0.0)),
        "MiniLM LR alone": ensemble_system(
            EnsembleConfig(members=(("minilm", 1.0),), segment_weight=0.0)),
        "TF-IDF + LR": ensemble_system(
            EnsembleConfig(members=(("tfidf", 1.0),), segment_weight=0.0)),
        "nearest example (e5)": nearest_example_system("e5"),
        "nearest example (MiniLM)": nearest_example_system("minilm"),
    }


def evaluation_sets(project_root: Path) -> Dict[str, List[RealQuestion]]:
    """Real dev and test parts, and the team-written sets as single-intent questions."""
    folder = project_root / "tests/nlu"
    sets = {part: read_real_questions(folder / "real_questions" / f"{part}.yml")
            for part in ("dev", "test")}
    for name in ("heldout", "heldout_hard"):
        sets[name] = [RealQuestion(text, (intent,), "team") for intent, text
                      in read_examples([folder / f"{name}.yml"])]
    return sets


def score_system(name: str, predict: Predict, sets: Dict[str, List[RealQuestion]],
                 topics: Sequence[str], seconds: float) -> SystemResult:
    """Top-in-accept share of one system on every set; red-flag recall on the real test part."""
    scores, recall = {}, 1.0
    for set_name, questions in sets.items():
        result = score_top_intents(questions, predict([q.text for q in questions]), topics)
        scores[set_name] = result.top_in_accept
        if set_name == "test":
            recall = result.red_flag_recall
    return SystemResult(name, scores, recall, seconds)


def run_real(project_root: Path) -> List[SystemResult]:
    """Train and score every classifier-level system."""
    pairs = training_examples(project_root)
    texts, labels = [t for _, t in pairs], [i for i, _ in pairs]
    topics = sorted({i for i in labels if i.startswith("faq_")})
    sets = evaluation_sets(project_root)
    results = []
    for name, train in systems(project_root).items():
        print(f"bench: real questions, {name}", flush=True)
        started = time.monotonic()
        predict = train(texts, labels)
        results.append(score_system(name, predict, sets, topics, time.monotonic() - started))
    return results


def real_table(results: Sequence[SystemResult]) -> List[str]:
    """A Markdown table of the results."""
    names = list(results[0].scores) if results else []
    lines = ["| system | " + " | ".join(names) + " | red-flag recall (test, no rules) | fit s |",
             "|---|" + "---|" * (len(names) + 2)]
    for r in results:
        cells = " | ".join(f"{r.scores[n]:.3f}" for n in names)
        lines.append(f"| {r.system} | {cells} | {r.red_flag_recall:.2f} | {r.train_seconds:.0f} |")
    return lines


if __name__ == "__main__":
    from clinic_assistant.settings import PROJECT_ROOT

    print("\n".join(real_table(run_real(PROJECT_ROOT))))
