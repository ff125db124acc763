"""A Rasa NLU component that turns a topic guess on an out-of-scope question into `out_of_scope`."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from clinic_assistant.nlu.intent_override import force_intent
from clinic_assistant.nlu.long_message_trimmer import UNTRIMMED_TEXT_KEY
from clinic_assistant.scope import ScopeGroup, load_scope_groups, outside_scope
from clinic_assistant.settings import PROJECT_ROOT

#: Key under which the parse result names the out-of-scope group that matched.
SCOPE_GROUP_KEY = "out_of_scope_group"
#: Only guesses of these intents are replaced (never emergencies or requests for a person).
TOPIC_PREFIX = "faq_"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class ScopeScreen(GraphComponent, IntentClassifier):
    """Replaces a FAQ-topic guess by `out_of_scope` when the message is about something else.

    Place it after the trained classifier and before `FallbackClassifier`. The groups are read
    from `content/scope.yml` when the model is loaded: edit it and restart the Rasa server.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """The scope file (relative to the project root) and the intent to set."""
        return {"scope_file": "content/scope.yml", "intent": "out_of_scope"}

    def __init__(self, config: Dict[Text, Any], groups: List[ScopeGroup]) -> None:
        """Keep the config and the compiled groups."""
        self._intent = str(config["intent"])
        self._groups = groups

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ScopeScreen:
        """Load the groups named in the config."""
        path = Path(config["scope_file"])
        if not path.is_absolute():
            path = PROJECT_ROOT / path
        return cls(config, load_scope_groups(path))

    def process(self, messages: List[Message]) -> List[Message]:
        """Replace the topic guess of every message that is about something we do not cover."""
        for message in messages:
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY) or ""
            if not intent.startswith(TOPIC_PREFIX):
                continue
            text = message.get(UNTRIMMED_TEXT_KEY) or message.get(TEXT) or ""
            group = outside_scope(self._groups, text)
            if group is None:
                continue
            force_intent(message, self._intent, 1.0)
            message.set(SCOPE_GROUP_KEY, group, add_to_output=True)
        return messages
