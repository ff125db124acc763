"""A Rasa intent classifier on sentence embeddings: the project's only trained classifier.

It wraps `SentenceEnsemble` (logistic regressions on multilingual-e5-small and all-MiniLM-L6-v2
embeddings, averaged), which reads long messages sentence by sentence. Besides the intent and
its ranking, the parse result names the other questions a message asks (`other_questions`), so
that the answer can offer them as buttons.
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

from clinic_assistant.settings import get_settings
from clinic_assistant.nlu.ranking import ranking_from, truncate
from clinic_assistant.nlu.sentence_ensemble import (EnsembleConfig, SentenceEnsemble,
                                                    fit_ensemble, load_ensemble, save_ensemble)

logger = logging.getLogger(__name__)
#: Key under which the parse result lists further questions of the message (name, confidence).
OTHER_QUESTIONS_KEY = "other_questions"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class SentenceEmbeddingClassifier(GraphComponent, IntentClassifier):
    """Intent probabilities from sentence-embedding (and optionally TF-IDF) regressions."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Members and their weights, regularisation, how long messages are read, ranking."""
        defaults = EnsembleConfig()
        return {"members": dict(defaults.members), "C": defaults.C, "tfidf_C": defaults.tfidf_C,
                "class_weight": defaults.class_weight,
                "segment_min_chars": defaults.segment_min_chars,
                "max_segments": defaults.max_segments, "segment_weight": defaults.segment_weight,
                "other_question_threshold": 0.5, "ranking_length": 10,
                "random_seed": defaults.random_seed}

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """The encoders' weights and engines: Rasa fingerprints a component by its config and
        training data only, so without this a new encoder engine would keep the old classifier."""
        from clinic_assistant.embeddings.encoders import encoder_version

        members = config.get("members") or {}
        return ",".join(f"{name}={encoder_version(name)}" for name in sorted(members))

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 model: Optional[SentenceEnsemble] = None) -> None:
        """Keep the config and, once trained, the model."""
        self._config = config
        self._ensemble_config = EnsembleConfig.from_rasa(config)
        self._model_storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> SentenceEmbeddingClassifier:
        """An untrained component."""
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Fit every member on the intent examples."""
        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        labels = [str(m.get(INTENT)) for m in examples]
        if len(set(labels)) < 2:
            logger.warning("Fewer than two intents: the sentence classifier is not trained.")
            return self._resource
        self._model = fit_ensemble([str(m.get(TEXT)) for m in examples], labels,
                                   self._ensemble_config, get_settings().embedding_cache_dir)
        with self._model_storage.write_to(self._resource) as directory:
            save_ensemble(self._model, directory)
        return self._resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> SentenceEmbeddingClassifier:
        """Load the trained model; untrained if there is none."""
        try:
            with model_storage.read_from(resource) as directory:
                model = load_ensemble(directory, EnsembleConfig.from_rasa(config))
            return cls(config, model_storage, resource, model)
        except (ValueError, FileNotFoundError):
            logger.warning("No trained sentence classifier found; messages get no intent.")
            return cls(config, model_storage, resource)

    def process(self, messages: List[Message]) -> List[Message]:
        """Set each message's intent, ranking and other questions."""
        if self._model is None or not messages:
            return messages
        texts = [str(m.get(TEXT) or "") for m in messages]
        threshold = float(self._config["other_question_threshold"])
        for message, reading in zip(messages, self._model.read_messages(texts)):
            ranking = truncate(ranking_from(self._model.labels, reading.probabilities.tolist()),
                               int(self._config["ranking_length"]))
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
            others = [{"name": name, "confidence": confidence} for name, confidence
                      in reading.other_questions(self._model.labels, threshold)]
            message.set(OTHER_QUESTIONS_KEY, others, add_to_output=True)
        return messages
