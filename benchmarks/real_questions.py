"""Systems compared side by side on real patients' questions (dev and test parts) and on the
team-written held-out sets, all trained on the same `data/nlu/` in the same run.

Classifier-level systems are fitted here with the project's own functions
(`clinic_assistant.nlu.sentence_ensemble`, `tfidf_model`), so their figures are the model that
runs; the first row adds the pipeline's pattern files (scope screen, red-flag rules) as
config.yml does. Given a work folder (`make bench ARGS=--parts=real`, or `python -m
benchmarks.real_questions --rasa`), the previous shipped pipeline (DIET ensemble), the same
without DIET and Rasa's `rasa init` pipeline are trained with `rasa train nlu` and scored
through Rasa too.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence

import yaml

from clinic_assistant.content_check import training_examples
from clinic_assistant.embeddings.cache import CachedEncoder
from clinic_assistant.embeddings.encoders import get_sentence_encoder
from clinic_assistant.evaluation.examples import read_examples
from clinic_assistant.evaluation.real_questions import (RealQuestion, read_real_questions,
                                                        score_top_intents)
from clinic_assistant.nlu.sentence_ensemble import EnsembleConfig, fit_ensemble
from clinic_assistant.red_flags import load_rules, matching_rule
from clinic_assistant.scope import load_scope_groups, outside_scope
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


def with_pattern_files(predict: Predict, project_root: Path) -> Predict:
    """The classifier followed by the pipeline's pattern components, as in config.yml: the
    scope screen (a topic guess on an out-of-scope subject) and the red-flag rules."""
    groups = load_scope_groups(project_root / "content/scope.yml")
    rules = load_rules(project_root / "content/red_flags.yml")

    def final(batch: Sequence[str]) -> List[str]:
        tops = []
        for text, top in zip(batch, predict(batch)):
            if top.startswith("faq_") and outside_scope(groups, text):
                top = "out_of_scope"
            if matching_rule(rules, text):
                top = "red_flag_symptoms"
            tops.append(top)
        return tops
    return final


def ensemble_system(config: EnsembleConfig, project_root: Optional[Path] = None
                    ) -> Callable[[List[str], List[str]], Predict]:
    """A trainer for a sentence-ensemble variant (with the pattern files if a root is given)."""
    def train(texts: List[str], labels: List[str]) -> Predict:
        model = fit_ensemble(texts, labels, config, get_settings().embedding_cache_dir)
        def predict(batch: Sequence[str]) -> List[str]:
            return [model.labels[int(r.probabilities.argmax())]
                    for r in model.read_messages(list(batch))]

        return with_pattern_files(predict, project_root) if project_root else predict
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


def rasa_system(project_root: Path, config: Path, work: Path) -> Callable[[List[str], List[str]], Predict]:
    """A Rasa pipeline trained with `rasa train nlu` on data/ (its log in `work`), scored through
    Rasa (fallback ignored, its own rules applied as that pipeline has them)."""
    from benchmarks.accuracy import rasa_predictions, train_rasa_nlu

    def train(texts: List[str], labels: List[str]) -> Predict:
        name = f"real_{config.stem}"
        train_rasa_nlu(project_root, config, work, name, work / f"{name}.log")
        return lambda batch: rasa_predictions(work / f"{name}.tar.gz", list(batch))
    return train


#: Rasa pipelines compared on real questions (trained with Rasa itself; about 25 minutes).
RASA_CONFIGS = {
    "previous shipped pipeline (DIET + TF-IDF + MiniLM)": "benchmarks/configs/previous_ensemble.yml",
    "previous pipeline without DIET (TF-IDF + MiniLM)": "benchmarks/configs/previous_without_diet.yml",
    "Rasa's default pipeline (rasa init)": "benchmarks/configs/rasa_default.yml",
}


def systems(project_root: Path, work: Optional[Path] = None
            ) -> Dict[str, Callable[[List[str], List[str]], Predict]]:
    """Every system, the shipped one first; the Rasa-trained ones only with a `work` folder."""
    shipped = shipped_config(project_root)
    return {
        "shipped pipeline: e5 + MiniLM LR, sentences, scope screen, red-flag rules":
            ensemble_system(shipped, project_root),
        "classifier alone: e5 + MiniLM LR, sentences": ensemble_system(shipped),
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
        **({name: rasa_system(project_root, project_root / path, work)
            for name, path in RASA_CONFIGS.items()} if work is not None else {}),
    }


def evaluation_sets(project_root: Path) -> Dict[str, List[RealQuestion]]:
    """Real dev, test and both fresh parts, and the team-written sets as single-intent questions."""
    folder = project_root / "tests/nlu"
    sets = {part: read_real_questions(folder / "real_questions" / f"{part}.yml")
            for part in ("dev", "test", "fresh", "fresh2")}
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


def run_real(project_root: Path, work: Optional[Path] = None) -> List[SystemResult]:
    """Train and score every system (the Rasa-trained ones too when `work` is given)."""
    pairs = training_examples(project_root)
    texts, labels = [t for _, t in pairs], [i for i, _ in pairs]
    topics = sorted({i for i in labels if i.startswith("faq_")})
    sets = evaluation_sets(project_root)
    results = []
    for name, train in systems(project_root, work).items():
        print(f"bench: real questions, {name}", flush=True)
        started = time.monotonic()
        predict = train(texts, labels)
        results.append(score_system(name, predict, sets, topics, time.monotonic() - started))
    return results


def real_table(results: Sequence[SystemResult]) -> List[str]:
    """A Markdown table of the results."""
    names = list(results[0].scores) if results else []
    lines = ["| system | " + " | ".join(names) + " | red-flag recall (test) | fit s |",
             "|---|" + "---|" * (len(names) + 2)]
    for r in results:
        cells = " | ".join(f"{r.scores[n]:.3f}" for n in names)
        lines.append(f"| {r.system} | {cells} | {r.red_flag_recall:.2f} | {r.train_seconds:.0f} |")
    return lines


if __name__ == "__main__":
    import sys

    from clinic_assistant.settings import PROJECT_ROOT

    # `--rasa` also trains the Rasa pipelines (about 25 minutes), as `make bench` does.
    folder = PROJECT_ROOT / "reports/bench/work" if "--rasa" in sys.argv else None
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    print("\n".join(real_table(run_real(PROJECT_ROOT, folder))))
