"""TF-IDF word and character n-grams with a logistic regression: fitting, scoring, storing.

Word 1-2 grams plus char_wb 2-5 grams know a patient's exact words and their misspellings,
which sentence embeddings blur. The model is stored as a plain numpy archive (vocabularies, idf
weights and regression weights; no pickle).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np
from scipy import sparse

from clinic_assistant.nlu.ranking import softmax_rows

#: (analyzer, n-gram range) of the two vectorizers, as in the TF-IDF baseline of benchmarks/.
ANALYZERS: Tuple[Tuple[str, Tuple[int, int]], ...] = (("word", (1, 2)), ("char_wb", (2, 5)))


@dataclass
class TfidfModel:
    """Everything needed to score texts: per analyzer its terms (in column order) and idf
    weights, then the logistic regression's weights over the concatenated features."""

    terms: List[np.ndarray]
    idf: List[np.ndarray]
    coef: np.ndarray
    intercept: np.ndarray
    labels: List[str]

    @cached_property
    def vectorizers(self) -> List[Any]:
        """Fitted scikit-learn vectorizers rebuilt from the terms and idf weights (once)."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizers = []
        for (analyzer, ngrams), terms, idf in zip(ANALYZERS, self.terms, self.idf):
            vectorizer = TfidfVectorizer(
                analyzer=analyzer, ngram_range=ngrams, sublinear_tf=True,
                vocabulary={str(term): index for index, term in enumerate(terms)},
            )
            vectorizer.idf_ = idf
            vectorizers.append(vectorizer)
        return vectorizers

    def features(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """TF-IDF rows of `texts` (word then character features), as at training time."""
        return sparse.hstack([v.transform(list(texts)) for v in self.vectorizers], format="csr")

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Intent probabilities, one row per text, columns in the order of `labels`."""
        scores = self.features(texts) @ self.coef.T + self.intercept
        return softmax_rows(np.asarray(scores))


def fit_tfidf_model(texts: Sequence[str], labels: Sequence[str], C: float,
                    class_weight: Optional[str], max_iter: int, random_seed: int) -> TfidfModel:
    """Fit the vectorizers and a multinomial logistic regression on labelled texts."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizers = [TfidfVectorizer(analyzer=analyzer, ngram_range=ngrams, sublinear_tf=True)
                   for analyzer, ngrams in ANALYZERS]
    features = sparse.hstack([v.fit_transform(list(texts)) for v in vectorizers], format="csr")
    regression = LogisticRegression(C=C, class_weight=class_weight, max_iter=max_iter,
                                    random_state=random_seed)
    regression.fit(features, list(labels))
    return TfidfModel(
        terms=[v.get_feature_names_out().astype(str) for v in vectorizers],
        idf=[np.asarray(v.idf_) for v in vectorizers],
        coef=regression.coef_, intercept=regression.intercept_,
        labels=[str(label) for label in regression.classes_],
    )


def save_tfidf_model(model: TfidfModel, path: Any) -> None:
    """Write the model as one numpy archive (strings and floats only)."""
    arrays: Dict[str, np.ndarray] = {"coef": model.coef, "intercept": model.intercept,
                                     "labels": np.array(model.labels)}
    for index, (terms, idf) in enumerate(zip(model.terms, model.idf)):
        arrays[f"terms_{index}"], arrays[f"idf_{index}"] = terms, idf
    np.savez(path, **arrays)


def load_tfidf_model(path: Any) -> TfidfModel:
    """Read a model written by `save_tfidf_model`."""
    data = np.load(path)
    return TfidfModel(
        terms=[data[f"terms_{index}"] for index in range(len(ANALYZERS))],
        idf=[data[f"idf_{index}"] for index in range(len(ANALYZERS))],
        coef=data["coef"], intercept=data["intercept"],
        labels=[str(label) for label in data["labels"]],
    )
