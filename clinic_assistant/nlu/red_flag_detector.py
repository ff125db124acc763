"""A Rasa NLU component that forces the red-flag intent when emergency patterns match."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from clinic_assistant.nlu.intent_override import force_intent
from clinic_assistant.nlu.long_message_trimmer import UNTRIMMED_TEXT_KEY
from clinic_assistant.red_flags import RedFlagRule, load_rules, matching_rule
from clinic_assistant.settings import PROJECT_ROOT

#: Key under which the parse result names the rule that fired.
RED_FLAG_RULE_KEY = "red_flag_rule"
#: Key under which the parse result keeps the classifier's own intent when a rule fired.
CLASSIFIER_INTENT_KEY = "intent_before_red_flag_rule"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class RedFlagDetector(GraphComponent, IntentClassifier):
    """Sets the red-flag intent with full confidence when a rule in the rules file matches.

    Place it last in the pipeline, after `FallbackClassifier`, so that an emergency is never
    turned into a fallback. The rules are read when the model is loaded: edit the file and
    restart the Rasa server, no retraining needed.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """The rules file (relative to the project root) and the intent to set."""
        return {"rules_file": "content/red_flags.yml", "intent": "red_flag_symptoms"}

    def __init__(self, config: Dict[Text, Any], rules: List[RedFlagRule]) -> None:
        """Keep the config and the compiled rules."""
        self._intent = str(config["intent"])
        self._rules = rules

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RedFlagDetector:
        """Load the rules named in the config."""
        path = Path(config["rules_file"])
        if not path.is_absolute():
            path = PROJECT_ROOT / path
        return cls(config, load_rules(path))

    def process(self, messages: List[Message]) -> List[Message]:
        """Override the intent of every message that matches a red-flag rule."""
        for message in messages:
            text = message.get(UNTRIMMED_TEXT_KEY) or message.get(TEXT) or ""
            rule = matching_rule(self._rules, text)
            if rule is None:
                continue
            message.set(CLASSIFIER_INTENT_KEY, message.get(INTENT), add_to_output=True)
            force_intent(message, self._intent, 1.0)
            message.set(RED_FLAG_RULE_KEY, rule, add_to_output=True)
        return messages
