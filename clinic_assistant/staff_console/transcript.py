"""Turn Rasa's stored events into the transcript staff read."""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Optional

#: At most this many lines (the newest) are shown. A button click shows as "[clicked: ...]".
MAX_ENTRIES = 300
#: Characters of one line sent to the console (a long story with an MRI report is about 3,000;
#: the chat accepts up to 64 KB). The rest is counted in `cut`; Export gives the whole text.
MAX_LINE_CHARS = 5000


def _time(event: Dict[str, Any]) -> Optional[str]:
    stamp = event.get("timestamp")
    if not isinstance(stamp, (int, float)):
        return None
    return dt.datetime.fromtimestamp(stamp, dt.timezone.utc).isoformat()


def _bot_entry(event: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    data = event.get("data") or {}
    custom = ((data.get("custom") or {}).get("data")
              if isinstance(data.get("custom"), dict) else None)
    if isinstance(custom, dict) and custom.get("sender") == "staff":
        return {"from": "staff", "name": custom.get("name") or "", "text": custom.get("text") or ""}
    if isinstance(custom, dict) and custom.get("text"):
        return {"from": "notice", "text": custom["text"]}
    text = event.get("text")
    if not text:
        return None
    return {"from": "assistant", "text": text}


def _user_entry(event: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    text = event.get("text") or ""
    if text.startswith("/"):
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name") or text
        if intent == "session_start":
            return None
        return {"from": "patient", "text": f"[clicked: {intent.replace('_', ' ')}]"}
    return {"from": "patient", "text": text}


def transcript(tracker: Dict[str, Any]) -> List[Dict[str, Any]]:
    """Patient, assistant, staff and notice lines, oldest first (at most MAX_ENTRIES)."""
    entries: List[Dict[str, Any]] = []
    for event in tracker.get("events") or []:
        kind = event.get("event")
        entry = (_user_entry(event) if kind == "user"
                 else _bot_entry(event) if kind == "bot" else None)
        if entry is not None:
            entry["time"] = _time(event)
            entries.append(entry)
    return [_shortened(entry) for entry in entries[-MAX_ENTRIES:]]


def _shortened(entry: Dict[str, Any]) -> Dict[str, Any]:
    """The entry with its text cut to MAX_LINE_CHARS; `cut` says how many characters went."""
    text = str(entry.get("text") or "")
    if len(text) <= MAX_LINE_CHARS:
        return entry
    return {**entry, "text": text[:MAX_LINE_CHARS], "cut": len(text) - MAX_LINE_CHARS}
