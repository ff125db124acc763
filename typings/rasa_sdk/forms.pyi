from abc import ABC
from typing import List, Optional

from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

REQUESTED_SLOT: str
LOOP_INTERRUPTED_KEY: str
ACTION_VALIDATE_SLOT_MAPPINGS: str

class ValidationAction(Action, ABC):
    def name(self) -> str: ...
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]: ...
    async def required_slots(
        self,
        domain_slots: List[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[str]: ...
    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]: ...
    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]: ...
    def global_slots(self, domain: DomainDict) -> List[str]: ...
    def domain_slots(self, domain: DomainDict) -> List[str]: ...

class FormValidationAction(ValidationAction, ABC):
    def name(self) -> str: ...
    def form_name(self) -> str: ...
    def domain_slots(self, domain: DomainDict) -> List[str]: ...
    async def next_requested_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Optional[EventType]: ...
