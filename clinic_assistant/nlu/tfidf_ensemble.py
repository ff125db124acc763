"""A Rasa intent classifier on TF-IDF word and character n-grams, averaged with the one before it.

TF-IDF word 1-2 grams plus char_wb 2-5 grams with a logistic regression is the strongest simple
baseline on this project's data, and its errors differ from DIET's and from the MiniLM
embeddings'. This component trains that model on the training examples and, at prediction
time, averages its probabilities with the intent ranking of the previous classifier (DIET),
like `EmbeddingEnsembleClassifier` does. The model is stored as a plain numpy archive
(vocabularies, idf weights and regression weights; no pickle).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Dict, List, Optional, Sequence, Text, Tuple

import numpy as np
from scipy import sparse

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from clinic_assistant.nlu.embedding_ensemble import blend, softmax_rows, truncate

logger = logging.getLogger(__name__)
WEIGHTS_FILE = "tfidf_classifier.npz"
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


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class TfidfEnsembleClassifier(GraphComponent, IntentClassifier):
    """Logistic regression on TF-IDF n-grams, blended with the previous classifier."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Regularisation C and class weights, the weight of this classifier in the blend,
        ranking length (0: every intent, for a classifier that another one blends after)."""
        return {"C": 10.0, "class_weight": None, "weight": 0.5, "ranking_length": 10,
                "max_iter": 3000, "random_seed": 42}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage,
                 resource: Resource, model: Optional[TfidfModel] = None) -> None:
        """Keep the config and, once trained, the model."""
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> TfidfEnsembleClassifier:
        """An untrained component."""
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Fit the vectorizers and the regression on every intent example."""
        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        labels = [str(m.get(INTENT)) for m in examples]
        if len(set(labels)) < 2:
            logger.warning("Fewer than two intents: the TF-IDF classifier is not trained.")
            return self._resource
        self._model = fit_tfidf_model(
            [str(m.get(TEXT)) for m in examples], labels, self._config["C"],
            self._config["class_weight"], self._config["max_iter"], self._config["random_seed"])
        self.persist()
        return self._resource

    def persist(self) -> None:
        """Save the model as a plain numpy archive."""
        if self._model is None:
            return
        with self._model_storage.write_to(self._resource) as directory:
            save_tfidf_model(self._model, directory / WEIGHTS_FILE)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> TfidfEnsembleClassifier:
        """Load the trained model; untrained if there is none."""
        try:
            with model_storage.read_from(resource) as directory:
                model = load_tfidf_model(directory / WEIGHTS_FILE)
            model.vectorizers  # built now rather than on the first message
            return cls(config, model_storage, resource, model)
        except (ValueError, FileNotFoundError):
            logger.warning("No trained TF-IDF classifier found; passing the ranking on.")
            return cls(config, model_storage, resource)

    def process(self, messages: List[Message]) -> List[Message]:
        """Blend this classifier's probabilities into each message's intent ranking."""
        if self._model is None or not messages:
            return messages
        rows = self._model.probabilities([str(m.get(TEXT) or "") for m in messages])
        for message, row in zip(messages, rows):
            probs = dict(zip(self._model.labels, row.tolist()))
            ranking = blend(probs, message.get(INTENT_RANKING_KEY) or [], self._config["weight"])
            ranking = truncate(ranking, self._config["ranking_length"])
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
