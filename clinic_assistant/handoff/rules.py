"""The clinic's handoff rules from content/handoff.yml: staff hours, waiting time, retention."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import timezone, tzinfo
from pathlib import Path
from typing import Dict, Optional, Tuple

from clinic_assistant.time_zone import parse_time_zone
from clinic_assistant.yaml_files import read_yaml_file

HANDOFF_FILE = "handoff.yml"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
Span = Tuple[dt.time, dt.time]


class HandoffRulesError(ValueError):
    """content/handoff.yml is missing something or has a value that cannot be read."""


@dataclass(frozen=True)
class HandoffRules:
    """When staff can chat live, how long a patient waits, how long call-backs are kept."""

    time_zone: tzinfo
    #: Staff hours by weekday (0 = Monday); a day without an entry is closed.
    staff_hours: Dict[int, Span]
    claim_timeout_seconds: float
    presence_seconds: float
    callback_retention_days: int
    #: Days after its last message that a conversation is deleted (with its handoff records).
    conversation_retention_days: int = 90
    #: Days after the request that a handoff record (not a call-back) is deleted.
    handoff_retention_days: int = 90

    def within_staff_hours(self, now: dt.datetime) -> bool:
        """Whether `now` (aware, or naive UTC) falls inside the staff hours."""
        if now.tzinfo is None:
            now = now.replace(tzinfo=timezone.utc)
        local = now.astimezone(self.time_zone)
        span = self.staff_hours.get(local.weekday())
        if span is None:
            return False
        start, end = span
        return start <= local.time() < end or (end == dt.time(0) and local.time() >= start)


def _parse_span(day: str, raw: object) -> Optional[Span]:
    text = str(raw).strip().lower()
    if text in ("closed", "", "none"):
        return None
    try:
        start_text, end_text = (part.strip() for part in text.split("-"))
        start = dt.time.fromisoformat(start_text)
        end = dt.time(0) if end_text == "24:00" else dt.time.fromisoformat(end_text)
        if end != dt.time(0) and start >= end:
            raise ValueError("the end must come after the start")
    except ValueError as error:
        raise HandoffRulesError(
            f"staff_hours.{day}: write hours like \"08:00-18:00\" (or \"closed\"), not {raw!r}"
        ) from error
    return start, end


def _number(raw: dict, key: str) -> float:
    value = raw.get(key)
    if not isinstance(value, (int, float)) or value <= 0:
        raise HandoffRulesError(f"{key}: must be a positive number, not {value!r}")
    return float(value)


def _days(raw: dict, key: str, default: int = 90) -> int:
    """A retention in whole days; missing means `default` (files older than the setting)."""
    if key not in raw:
        return default
    return int(_number(raw, key))


def load_handoff_rules(content_dir: Path, clinic_time_zone: str) -> HandoffRules:
    """Read `handoff.yml` from the content folder; times are in the clinic's time zone.

    A missing or broken file (invalid YAML, a key twice) raises ContentError; a value that
    cannot be used raises HandoffRulesError. Both are ValueErrors that name the file.
    """
    path = content_dir / HANDOFF_FILE
    raw = read_yaml_file(path, mapping=True).get("handoff")
    if not isinstance(raw, dict):
        raise HandoffRulesError(f"{path}: needs a 'handoff:' mapping")
    hours_raw = raw.get("staff_hours") or {}
    unknown = set(hours_raw) - set(WEEKDAYS)
    if unknown:
        raise HandoffRulesError(f"{path}: staff_hours has unknown days {sorted(unknown)}")
    hours = {}
    for index, day in enumerate(WEEKDAYS):
        span = _parse_span(day, hours_raw.get(day, "closed"))
        if span is not None:
            hours[index] = span
    return HandoffRules(
        time_zone=parse_time_zone(clinic_time_zone) or timezone.utc,
        staff_hours=hours,
        claim_timeout_seconds=60 * _number(raw, "claim_timeout_minutes"),
        presence_seconds=_number(raw, "staff_presence_seconds"),
        callback_retention_days=int(_number(raw, "callback_retention_days")),
        conversation_retention_days=_days(raw, "conversation_retention_days"),
        handoff_retention_days=_days(raw, "handoff_retention_days"),
    )
