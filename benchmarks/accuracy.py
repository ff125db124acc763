"""Held-out accuracy of the project pipeline and two baselines, over several seeds.

Baselines, trained on the same training data in the same run: Rasa's `rasa init` NLU pipeline
and a TF-IDF + logistic regression classifier (scikit-learn). The Rasa models are trained with
`rasa train nlu` (DIET's random seed varied) and evaluated in-process.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import yaml

from clinic_assistant.evaluation.evaluate_model import classifier_intent, parse_all
from clinic_assistant.content_check import training_examples
from clinic_assistant.evaluation.examples import read_examples
from clinic_assistant.evaluation.metrics import IntentReport, intent_report

RED_FLAG = "red_flag_symptoms"
Examples = List[Tuple[str, str]]


@dataclass(frozen=True)
class Run:
    """One trained system evaluated on one held-out set."""

    system: str
    seed: int
    held_out: str
    report: IntentReport
    red_flag_recall: float
    train_seconds: float


def with_seed(config_file: Path, seed: int, out: Path) -> Path:
    """A copy of a Rasa config with every component's random seed set to `seed`."""
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    for component in config.get("pipeline", []):
        if component["name"] in {"DIETClassifier", "ResponseSelector"}:
            component["random_seed"] = seed
    out.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return out


def train_rasa_nlu(project_root: Path, config: Path, out_dir: Path, name: str, log: Path) -> float:
    """Train an NLU model; return the seconds it took."""
    start = time.monotonic()
    with log.open("w") as handle:
        subprocess.run(
            [sys.executable, "-m", "rasa", "train", "nlu", "--config", str(config),
             "--out", str(out_dir), "--fixed-model-name", name],
            cwd=project_root, stdout=handle, stderr=subprocess.STDOUT, check=True,
        )
    return time.monotonic() - start


def rasa_predictions(model: Path, texts: Sequence[str]) -> List[str]:
    """The classifier's intent for each text (fallback ignored, as `rasa test nlu` does)."""
    return [classifier_intent(parse) for parse in asyncio.run(parse_all(model, list(texts)))]


def tfidf_predictions(train: Examples, texts: Sequence[str], seed: int) -> List[str]:
    """TF-IDF (word 1-2 grams + char 2-5 grams) + logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    model = make_pipeline(
        make_union(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                   TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
        LogisticRegression(C=10.0, max_iter=3000, random_state=seed),
    )
    model.fit([t for _, t in train], [i for i, _ in train])
    return [str(p) for p in model.predict(list(texts))]


def score(system: str, seed: int, name: str, examples: Examples, predicted: List[str],
          train_seconds: float) -> Run:
    """Score one system's predictions on one held-out set."""
    expected = [intent for intent, _ in examples]
    hits = [p == RED_FLAG for e, p in zip(expected, predicted) if e == RED_FLAG]
    recall = sum(hits) / len(hits) if hits else 1.0
    return Run(system, seed, name, intent_report(expected, predicted), recall, train_seconds)


def run_accuracy(project_root: Path, work: Path, seeds: Sequence[int],
                 held_out: Dict[str, Path]) -> List[Run]:
    """Train every system for every seed and evaluate it on every held-out set."""
    train = training_examples(project_root)
    sets = {name: read_examples([path]) for name, path in held_out.items()}
    systems = {"project": project_root / "config.yml",
               "rasa default": project_root / "benchmarks/configs/rasa_default.yml"}
    runs: List[Run] = []
    for seed in seeds:
        for system, config in systems.items():
            name = f"{system.replace(' ', '_')}_{seed}"
            seeded = with_seed(config, seed, work / f"{name}.yml")
            print(f"bench: training {system} (seed {seed})", flush=True)
            seconds = train_rasa_nlu(project_root, seeded, work, name, work / f"{name}.log")
            for set_name, examples in sets.items():
                predicted = rasa_predictions(work / f"{name}.tar.gz", [t for _, t in examples])
                runs.append(score(system, seed, set_name, examples, predicted, seconds))
        start = time.monotonic()
        for set_name, examples in sets.items():
            predicted = tfidf_predictions(train, [t for _, t in examples], seed)
            runs.append(score("tf-idf + logistic regression", seed, set_name, examples,
                              predicted, time.monotonic() - start))
    return runs
