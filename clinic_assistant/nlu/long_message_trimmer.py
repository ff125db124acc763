"""A Rasa NLU component that classifies very long messages by their start and end only."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

#: Where the full text is kept when it was trimmed for classification.
UNTRIMMED_TEXT_KEY = "untrimmed_text"


def trim_middle(text: str, max_chars: int) -> str:
    """Keep the first and last `max_chars // 2` characters of a long text."""
    if len(text) <= max_chars:
        return text
    half = max_chars // 2
    return f"{text[:half]} ... {text[-half:]}"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False
)
class LongMessageTrimmer(GraphComponent):
    """Shortens the text the classifier sees, so a huge message is still answered at once.

    Put it first in the pipeline. Only the NLU input is trimmed: the conversation keeps the
    message exactly as the patient wrote it, and the red-flag rules read the full text.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Longest text (in characters) that is classified whole."""
        return {"max_chars": 2000}

    def __init__(self, config: Dict[Text, Any]) -> None:
        """Keep the limit."""
        self._max_chars = int(config["max_chars"])

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LongMessageTrimmer:
        """Create the component from its config."""
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        """Trim the text of each message that is too long."""
        for message in messages:
            text = message.get(TEXT) or ""
            if len(text) > self._max_chars:
                message.set(UNTRIMMED_TEXT_KEY, text)
                message.set(TEXT, trim_middle(text, self._max_chars))
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training examples are short: nothing to do."""
        return training_data
