"""Choose the cheap ensemble members' settings by cross-validation on the training data only.

Run: python -m benchmarks.ensemble_cv [--folds 5]
Prints the out-of-fold macro-F1 of the MiniLM and TF-IDF logistic regressions for each C and
class weight, then of their probability average for several MiniLM shares. The held-out sets
are never read. DIET is not cross-validated (five extra trainings); config.yml gives it about a
third of the blend. The settings in config.yml came from this output (docs/pipeline.md).
"""

from __future__ import annotations

import argparse
import itertools
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np

from clinic_assistant.content_check import training_examples
from clinic_assistant.settings import PROJECT_ROOT

#: Fit on the training rows, return probabilities of the test rows.
Fit = Callable[[np.ndarray, np.ndarray], np.ndarray]
GRID_C = (1.0, 3.0, 10.0, 30.0, 100.0)
GRID_CLASS_WEIGHT = (None, "balanced")
MINILM_SHARES = (1.0, 0.8, 0.67, 0.6, 0.5, 0.4, 0.33, 0.0)


def macro_f1(expected: Sequence[str], probs: np.ndarray, labels: Sequence[str]) -> float:
    """Macro-F1 of the most probable label of each row."""
    from sklearn.metrics import f1_score

    return float(f1_score(list(expected), [labels[i] for i in probs.argmax(axis=1)],
                          average="macro"))


def out_of_fold(fit: Fit, size: int, folds: List[Tuple[np.ndarray, np.ndarray]],
                n_labels: int) -> np.ndarray:
    """Probabilities of every example from a model that did not see its fold."""
    probs = np.zeros((size, n_labels))
    for train_idx, test_idx in folds:
        probs[test_idx] = fit(train_idx, test_idx)
    return probs


def main(argv: Optional[Sequence[str]] = None) -> None:
    """Print the cross-validation tables."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    from clinic_assistant.embeddings.minilm import get_encoder
    from clinic_assistant.nlu.tfidf_ensemble import fit_tfidf_model

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    examples = training_examples(PROJECT_ROOT)
    texts = np.array([text for _, text in examples])
    intents = np.array([intent for intent, _ in examples])
    labels = sorted(set(intents))
    folds = list(StratifiedKFold(args.folds, shuffle=True, random_state=0).split(texts, intents))
    embeddings = get_encoder().encode(list(texts))
    results: Dict[Tuple[str, float, Optional[str]], np.ndarray] = {}
    for C, class_weight in itertools.product(GRID_C, GRID_CLASS_WEIGHT):
        def minilm(tr: np.ndarray, te: np.ndarray) -> np.ndarray:
            model = LogisticRegression(C=C, class_weight=class_weight, max_iter=3000,
                                       random_state=42).fit(embeddings[tr], intents[tr])
            return model.predict_proba(embeddings[te])

        def tfidf(tr: np.ndarray, te: np.ndarray) -> np.ndarray:
            model = fit_tfidf_model(list(texts[tr]), list(intents[tr]), C, class_weight, 3000, 42)
            return model.probabilities(list(texts[te]))

        for name, fit in (("minilm", minilm), ("tfidf", tfidf)):
            probs = out_of_fold(fit, len(texts), folds, len(labels))
            results[(name, C, class_weight)] = probs
            print(f"{name:6s} C={C:<5g} class_weight={class_weight}: "
                  f"CV macro-F1 {macro_f1(intents, probs, labels):.4f}", flush=True)
    best = {name: max((key for key in results if key[0] == name),
                      key=lambda key: macro_f1(intents, results[key], labels))
            for name in ("minilm", "tfidf")}
    print(f"best: {best}")
    minilm_probs, tfidf_probs = results[best["minilm"]], results[best["tfidf"]]
    for share in MINILM_SHARES:
        blended = share * minilm_probs + (1 - share) * tfidf_probs
        print(f"MiniLM share {share:.2f}: CV macro-F1 {macro_f1(intents, blended, labels):.4f}")


if __name__ == "__main__":
    main()
