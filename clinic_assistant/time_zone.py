"""The clinic's time zone from an IANA name (content/clinic.yml); UTC when it cannot be read."""

from __future__ import annotations

from datetime import timezone, tzinfo
from typing import Optional
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def parse_time_zone(name: str) -> Optional[tzinfo]:
    """A zone from an IANA name, also when a description follows it.

    'America/Chicago (Central Time)' gives America/Chicago; 'UTC' gives UTC; unknown: None.
    """
    words = name.split()
    if not words:
        return None
    if words[0].upper() == "UTC":
        return timezone.utc
    try:
        return ZoneInfo(words[0])
    except (ZoneInfoNotFoundError, ValueError):
        return None


def clinic_time_zone() -> tzinfo:
    """The time zone in content/clinic.yml, or UTC if it cannot be read."""
    from clinic_assistant.content import ContentError, get_content

    try:
        return parse_time_zone(get_content().clinic.time_zone) or timezone.utc
    except (ContentError, OSError):
        return timezone.utc
