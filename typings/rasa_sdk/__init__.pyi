# Type stubs for rasa-sdk 3.6.2, which ships none (no py.typed marker), so that mypy checks the
# project's actions against the SDK's real signatures: `@override` finds Action.name and
# Action.run, and calls on Tracker and CollectingDispatcher are checked. Generated from the SDK's
# own annotations (Apache-2.0) with `stubgen -m rasa_sdk -m rasa_sdk.interfaces -m
# rasa_sdk.events -m rasa_sdk.executor -m rasa_sdk.forms -m rasa_sdk.types`; attributes are
# typed as Tracker.__init__ sets them. Only the modules the project imports are here: a new
# import from rasa_sdk makes mypy ask for its stub. Regenerate when rasa-sdk's pin changes.
from rasa_sdk.forms import FormValidationAction as FormValidationAction
from rasa_sdk.forms import ValidationAction as ValidationAction
from rasa_sdk.interfaces import Action as Action
from rasa_sdk.interfaces import ActionExecutionRejection as ActionExecutionRejection
from rasa_sdk.interfaces import Tracker as Tracker

__version__: str
