"""Read the patients' messages from Rasa's SQL tracker store (its `events` table)."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple
from urllib.parse import quote

from sqlalchemy import column, create_engine, or_, select, table

from clinic_assistant.privacy.callback_erasure import is_erased_message

USER = "user"
SESSION_STARTED = "session_started"
#: A form starts (`name` is the form) or ends (`name` is null); Rasa's ActiveLoop event.
ACTIVE_LOOP = "active_loop"
RESTART = "restart"
SLOT = "slot"
#: The slot the emergency advice sets (actions/safety.py), after whichever message led to it.
EMERGENCY_ADVICE_SLOT = "red_flag_raised"
#: The event types the report reads.
READ_TYPES = (USER, SESSION_STARTED, ACTIVE_LOOP, RESTART, SLOT)

EVENTS = table(
    "events",
    column("id"), column("sender_id"), column("type_name"), column("timestamp"),
    column("intent_name"), column("data"),
)


@dataclass(frozen=True)
class UserMessage:
    """One message a patient sent (typed, or a button's payload)."""

    event_id: int
    sender_id: str
    session: int
    timestamp: float
    text: str
    intent: str
    entities: Tuple[Tuple[str, str], ...] = ()
    #: Sent while a form (the call-back form) was open: an answer to one of its questions.
    in_form: bool = False
    #: The assistant gave the emergency advice in reply, whatever the intent (a typed "yes"
    #: to the warning signs gets it too: actions/replies.py).
    emergency_advised: bool = False

    @property
    def conversation(self) -> Tuple[str, int]:
        """The conversation it belongs to: the sender and the number of their session."""
        return (self.sender_id, self.session)

    @property
    def is_typed(self) -> bool:
        """True for text the patient wrote; False for button payloads ("/...") and blanks."""
        text = self.text.strip()
        return bool(text) and not text.startswith("/")

    def entity(self, name: str) -> Optional[str]:
        """The value of the first entity called `name`, if any."""
        return next((value for entity, value in self.entities if entity == name), None)


def sqlite_url(path: Path) -> str:
    """A read-only SQLAlchemy URL for a SQLite file (which must exist)."""
    if not path.is_file():
        raise FileNotFoundError(f"no tracker database at {path}")
    return f"sqlite:///file:{quote(str(path.resolve()))}?mode=ro&uri=true"


def _entities(parse_data: Mapping[str, Any]) -> Tuple[Tuple[str, str], ...]:
    found = parse_data.get("entities") or []
    return tuple(
        (str(e.get("entity")), str(e.get("value"))) for e in found if isinstance(e, dict)
    )


def _data(raw: Optional[str]) -> Dict[str, Any]:
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def user_messages(rows: Iterable[Mapping[str, Any]]) -> List[UserMessage]:
    """The user messages among event rows (in time order), numbered by session per sender.

    A message between a form's ActiveLoop start and its end (or a restart or new session) is
    marked `in_form`; one the emergency advice answered (its slot set after it, before the
    sender's next message or session) `emergency_advised`.
    """
    sessions: Dict[str, int] = {}
    forms: Dict[str, bool] = {}
    #: Each sender's latest message in the current session: its index in `messages`.
    latest: Dict[str, int] = {}
    messages: List[UserMessage] = []
    for row in rows:
        sender = str(row["sender_id"])
        kind = row["type_name"]
        if kind in (SESSION_STARTED, RESTART):
            forms[sender] = False
            latest.pop(sender, None)
            if kind == SESSION_STARTED:
                sessions[sender] = sessions.get(sender, 0) + 1
            continue
        if kind == ACTIVE_LOOP:
            forms[sender] = bool(_data(row["data"]).get("name"))
            continue
        if kind == SLOT:
            _mark_emergency_advice(messages, latest.get(sender), _data(row["data"]))
            continue
        if kind != USER:
            continue
        data = _data(row["data"])
        if is_erased_message(data):
            continue  # a call-back form's answer, erased without consent: not a question
        parse_data = data.get("parse_data") or {}
        intent = (parse_data.get("intent") or {}).get("name") or row["intent_name"] or ""
        messages.append(UserMessage(
            event_id=int(row["id"]),
            sender_id=sender,
            session=sessions.get(sender, 0),
            timestamp=float(row["timestamp"] or data.get("timestamp") or 0.0),
            text=str(data.get("text") or ""),
            intent=str(intent),
            entities=_entities(parse_data),
            in_form=forms.get(sender, False),
        ))
        latest[sender] = len(messages) - 1
    return messages


def _mark_emergency_advice(messages: List[UserMessage], index: Optional[int],
                           slot: Mapping[str, Any]) -> None:
    """Mark message `index` as answered by the emergency advice if `slot` is its slot set."""
    if index is None or slot.get("name") != EMERGENCY_ADVICE_SLOT or slot.get("value") is not True:
        return
    messages[index] = replace(messages[index], emergency_advised=True)


def read_user_messages(
    url: str, *, since: Optional[float] = None, sender_prefix: Optional[str] = None
) -> List[UserMessage]:
    """The user messages stored at `url` (any SQLAlchemy URL), optionally since a time."""
    query = (
        select(EVENTS)
        .where(EVENTS.c.type_name.in_(READ_TYPES))
        .order_by(EVENTS.c.timestamp, EVENTS.c.id)
    )
    if since is not None:
        # Earlier session, form and restart events still count: a form opened before `since`
        # is still open, and sessions keep their numbers (and so their references).
        query = query.where(or_(EVENTS.c.type_name != USER, EVENTS.c.timestamp >= since))
    if sender_prefix:
        query = query.where(EVENTS.c.sender_id.startswith(sender_prefix, autoescape=True))
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = [dict(row._mapping) for row in connection.execute(query)]
    finally:
        engine.dispose()
    return user_messages(rows)
