from typing import Any, Dict, List, Optional

from typing_extensions import TypedDict

class TrackerState(TypedDict):
    sender_id: str
    slots: Dict[str, Any]
    latest_message: Optional[Dict[str, Any]]
    events: List[Dict[str, Any]]
    paused: bool
    followup_action: Optional[str]
    active_loop: Dict[str, Any]
    active_form: Dict[str, Any]
    latest_action_name: Optional[str]

class DomainDict(TypedDict):
    intents: List[Dict[str, Any]]
    entities: List[str]
    slots: Dict[Any, Dict[str, Any]]
    responses: Dict[str, List[Dict[str, Any]]]
    actions: List[str]
    forms: Dict[str, Any]

class ActionCall(TypedDict):
    next_action: Optional[str]
    sender_id: str
    tracker: TrackerState
    domain: DomainDict
    version: str
