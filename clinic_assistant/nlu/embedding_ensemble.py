"""A Rasa intent classifier on MiniLM sentence embeddings, averaged with the one before it.

Sentence embeddings know that "my disc popped" and "slipped disc" mean much the same, which
word and character counts (DIET's features) cannot. This component trains a multinomial
logistic regression on the embeddings of the training examples and, at prediction time,
averages its probabilities with the intent ranking the previous classifier (DIET) produced.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

import numpy as np

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from clinic_assistant.embeddings.minilm import get_encoder
from clinic_assistant.nlu.ranking import blend, softmax_rows, truncate

logger = logging.getLogger(__name__)
WEIGHTS_FILE = "embedding_classifier.npz"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class EmbeddingEnsembleClassifier(GraphComponent, IntentClassifier):
    """Logistic regression on MiniLM embeddings, blended with the previous classifier."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Regularisation C and class weights, the weight of this classifier in the blend,
        ranking length (0: every intent)."""
        return {"C": 10.0, "class_weight": None, "weight": 0.5, "ranking_length": 10,
                "max_iter": 2000, "random_seed": 42}

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        coef: Optional[np.ndarray] = None,
        intercept: Optional[np.ndarray] = None,
        labels: Optional[List[str]] = None,
    ) -> None:
        """Keep the config and, once trained, the regression's weights and labels."""
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._coef = coef
        self._intercept = intercept
        self._labels = labels or []

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> EmbeddingEnsembleClassifier:
        """An untrained component."""
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Fit the regression on the embeddings of every intent example."""
        from sklearn.linear_model import LogisticRegression

        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        labels = [str(m.get(INTENT)) for m in examples]
        if len(set(labels)) < 2:
            logger.warning("Fewer than two intents: the embedding classifier is not trained.")
            return self._resource
        features = get_encoder().encode([str(m.get(TEXT)) for m in examples])
        model = LogisticRegression(C=self._config["C"], class_weight=self._config["class_weight"],
                                   max_iter=self._config["max_iter"],
                                   random_state=self._config["random_seed"])
        model.fit(features, labels)
        self._coef, self._intercept = model.coef_, model.intercept_
        self._labels = [str(label) for label in model.classes_]
        self.persist()
        return self._resource

    def persist(self) -> None:
        """Save the weights and labels as a plain numpy archive (no pickle)."""
        if self._coef is None or self._intercept is None:  # set together: both or neither
            return
        with self._model_storage.write_to(self._resource) as directory:
            np.savez(directory / WEIGHTS_FILE, coef=self._coef, intercept=self._intercept,
                     labels=np.array(self._labels))

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> EmbeddingEnsembleClassifier:
        """Load the trained weights; untrained if there are none."""
        try:
            with model_storage.read_from(resource) as directory:
                data = np.load(directory / WEIGHTS_FILE)
                return cls(config, model_storage, resource, data["coef"], data["intercept"],
                           [str(label) for label in data["labels"]])
        except (ValueError, FileNotFoundError):
            logger.warning("No trained embedding classifier found; passing DIET's result on.")
            return cls(config, model_storage, resource)

    def probabilities(self, texts: List[str]) -> List[Dict[str, float]]:
        """Intent probabilities of this classifier alone, one dict per text."""
        assert self._coef is not None and self._intercept is not None
        features = get_encoder().encode(texts)
        probs = softmax_rows(features @ self._coef.T + self._intercept)
        return [dict(zip(self._labels, row.tolist())) for row in probs]

    def process(self, messages: List[Message]) -> List[Message]:
        """Blend this classifier's probabilities into each message's intent ranking."""
        if self._coef is None:
            return messages
        texts = [str(m.get(TEXT) or "") for m in messages]
        for message, probs in zip(messages, self.probabilities(texts)):
            ranking = blend(probs, message.get(INTENT_RANKING_KEY) or [], self._config["weight"])
            ranking = truncate(ranking, self._config["ranking_length"])
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
