"""A Rasa NLU component that sends messages it cannot read to clarification."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from clinic_assistant.nlu.intent_override import force_intent
from clinic_assistant.text_signals import screen_reason

FALLBACK_INTENT = "nlu_fallback"
#: Key under which the parse result says why a message was screened out.
SCREENED_KEY = "screened"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class LanguageScreen(GraphComponent, IntentClassifier):
    """Turns emoji-only, non-English and markup-only messages into `nlu_fallback`.

    A confident guess on such a message would be a wrong answer; the clarification action
    then says what the assistant can read. Put it after `FallbackClassifier` and before
    `RedFlagDetector` (an emergency pattern still wins).
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """No options."""
        return {}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageScreen:
        """Create the component."""
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        """Screen every message."""
        for message in messages:
            reason = screen_reason(message.get(TEXT) or "")
            if reason is None:
                continue
            force_intent(message, FALLBACK_INTENT, 0.0)
            message.set(SCREENED_KEY, reason, add_to_output=True)
        return messages
