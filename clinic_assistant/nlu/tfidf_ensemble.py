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
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from clinic_assistant.nlu.ranking import blend, truncate
from clinic_assistant.nlu.tfidf_model import (TfidfModel, fit_tfidf_model, load_tfidf_model,
                                              save_tfidf_model)

logger = logging.getLogger(__name__)
WEIGHTS_FILE = "tfidf_classifier.npz"


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
