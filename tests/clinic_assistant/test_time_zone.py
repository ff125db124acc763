"""Days are counted in the clinic's time zone, read from content/clinic.yml."""

from __future__ import annotations

from datetime import timezone
from zoneinfo import ZoneInfo

import pytest

from clinic_assistant.time_zone import clinic_time_zone, parse_time_zone


@pytest.mark.parametrize("name, expected", [
    ("America/Chicago (Central Time)", ZoneInfo("America/Chicago")),
    ("Europe/London", ZoneInfo("Europe/London")),
    ("UTC", timezone.utc),
    ("Central Time", None),
    ("../etc/passwd", None),
    ("", None),
])
def test_parse_time_zone(name, expected):
    assert parse_time_zone(name) == expected


def test_the_clinic_time_zone_comes_from_the_content(content):
    assert clinic_time_zone() == parse_time_zone(content.clinic.time_zone)
