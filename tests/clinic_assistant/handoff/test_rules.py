"""content/handoff.yml: staff hours in the clinic's time zone, timeouts, retention."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Dict

import pytest
import yaml

from clinic_assistant.handoff.rules import HandoffRulesError, load_handoff_rules
from clinic_assistant.yaml_files import ContentError

CHICAGO = "America/Chicago (Central Time)"
WEEKDAY_HOURS = {day: "08:00-18:00" for day in
                 ("monday", "tuesday", "wednesday", "thursday", "friday")}


def write_rules(folder: Path, **changes: Any) -> Path:
    """A handoff.yml in `folder` with weekday hours 08-18, weekends closed, and `changes`."""
    raw: Dict[str, Any] = {
        "staff_hours": {**WEEKDAY_HOURS, "saturday": "closed", "sunday": "closed"},
        "claim_timeout_minutes": 3,
        "staff_presence_seconds": 60,
        "callback_retention_days": 30,
    }
    raw.update(changes)
    (folder / "handoff.yml").write_text(yaml.safe_dump({"handoff": raw}), encoding="utf-8")
    return folder


def utc(*args: int) -> dt.datetime:
    """An aware UTC datetime."""
    return dt.datetime(*args, tzinfo=dt.timezone.utc)


def test_the_real_content_file_loads(project_root: Path, content) -> None:
    """The shipped file: weekdays only, 3 minutes to claim, 60 s presence, 30 days retention."""
    rules = load_handoff_rules(project_root / "content", content.clinic.time_zone)
    assert sorted(rules.staff_hours) == [0, 1, 2, 3, 4]
    assert rules.staff_hours[0] == (dt.time(8), dt.time(18))
    assert rules.claim_timeout_seconds == 180
    assert rules.presence_seconds == 60
    assert rules.callback_retention_days == 30
    assert str(rules.time_zone) == "America/Chicago"


@pytest.mark.parametrize("moment, inside", [
    (utc(2026, 7, 6, 13, 0), True),     # Monday 08:00 CDT (UTC-5): opening
    (utc(2026, 7, 6, 12, 59), False),   # Monday 07:59 CDT
    (utc(2026, 7, 6, 22, 59), True),    # Monday 17:59 CDT
    (utc(2026, 7, 6, 23, 0), False),    # Monday 18:00 CDT: closing time is exclusive
    (utc(2026, 1, 5, 13, 30), False),   # Monday 07:30 CST (UTC-6): winter, not open yet
    (utc(2026, 1, 5, 14, 0), True),     # Monday 08:00 CST
    (utc(2026, 1, 5, 23, 30), True),    # Monday 17:30 CST, already Monday night in UTC terms
    (utc(2026, 7, 4, 15, 0), False),    # Saturday 10:00 CDT: closed all day
    (utc(2026, 7, 5, 15, 0), False),    # Sunday 10:00 CDT
    (utc(2026, 7, 7, 2, 0), False),     # Tuesday in UTC, Monday 21:00 in Chicago
])
def test_staff_hours_are_read_in_the_clinic_time_zone(
    tmp_path: Path, moment: dt.datetime, inside: bool
) -> None:
    """Opening and closing times follow Chicago's clock, with daylight saving time."""
    rules = load_handoff_rules(write_rules(tmp_path), CHICAGO)
    assert rules.within_staff_hours(moment) is inside


def test_naive_times_are_taken_as_utc(tmp_path: Path) -> None:
    """The store's naive UTC timestamps can be passed directly."""
    rules = load_handoff_rules(write_rules(tmp_path), CHICAGO)
    assert rules.within_staff_hours(dt.datetime(2026, 7, 6, 13, 30))
    assert not rules.within_staff_hours(dt.datetime(2026, 7, 6, 12, 30))


def test_a_day_open_until_midnight(tmp_path: Path) -> None:
    """'24:00' closes at the end of the local day, which is Saturday morning in UTC."""
    rules = load_handoff_rules(write_rules(tmp_path, staff_hours={"friday": "08:00-24:00"}),
                               CHICAGO)
    assert rules.within_staff_hours(utc(2026, 7, 11, 4, 59))     # Friday 23:59 CDT
    assert not rules.within_staff_hours(utc(2026, 7, 11, 5, 0))  # Saturday 00:00 CDT
    assert not rules.within_staff_hours(utc(2026, 7, 10, 12, 0))  # Friday 07:00 CDT


def test_missing_days_are_closed(tmp_path: Path) -> None:
    """A day not listed under staff_hours has no hours."""
    rules = load_handoff_rules(write_rules(tmp_path, staff_hours={"monday": "09:00-10:00"}),
                               "UTC")
    assert rules.staff_hours == {0: (dt.time(9), dt.time(10))}
    assert not rules.within_staff_hours(utc(2026, 7, 7, 9, 30))  # Tuesday


@pytest.mark.parametrize("hours", ["8am-6pm", "08:00", "08:00-25:00", "08:00 to 18:00",
                                   "08:00-12:00-18:00", "18:00-08:00", "12:00-12:00"])
def test_hours_that_cannot_be_read_are_explained(tmp_path: Path, hours: str) -> None:
    """The error names the day, shows the expected format and quotes the bad value."""
    folder = write_rules(tmp_path, staff_hours={**WEEKDAY_HOURS, "tuesday": hours})
    with pytest.raises(HandoffRulesError) as error:
        load_handoff_rules(folder, CHICAGO)
    message = str(error.value)
    assert "staff_hours.tuesday" in message
    assert '"08:00-18:00"' in message and "closed" in message
    assert repr(hours) in message


def test_unknown_day_names_are_refused(tmp_path: Path) -> None:
    """A typo such as 'mon' would otherwise silently close Monday."""
    with pytest.raises(HandoffRulesError, match=r"unknown days \['mon'\]"):
        load_handoff_rules(write_rules(tmp_path, staff_hours={"mon": "08:00-18:00"}), CHICAGO)


@pytest.mark.parametrize("key, value", [
    ("claim_timeout_minutes", 0), ("claim_timeout_minutes", "3"),
    ("staff_presence_seconds", -5), ("callback_retention_days", None),
])
def test_numbers_must_be_positive(tmp_path: Path, key: str, value: Any) -> None:
    """Each number is named in the error."""
    with pytest.raises(HandoffRulesError, match=key):
        load_handoff_rules(write_rules(tmp_path, **{key: value}), CHICAGO)


def test_a_file_without_the_handoff_mapping_is_refused(tmp_path: Path) -> None:
    """An empty file says what it needs."""
    (tmp_path / "handoff.yml").write_text("# nothing yet\n", encoding="utf-8")
    with pytest.raises(HandoffRulesError, match="handoff:"):
        load_handoff_rules(tmp_path, CHICAGO)


def test_a_value_written_twice_is_refused_with_its_line(tmp_path: Path) -> None:
    """YAML would keep the second value silently; the loader names the key and the line."""
    (tmp_path / "handoff.yml").write_text(
        "handoff:\n  claim_timeout_minutes: 3\n  staff_presence_seconds: 60\n"
        "  claim_timeout_minutes: 30\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"handoff.yml, entry 'claim_timeout_minutes': appears "
                                           r"twice \(the second time on line 4\)"):
        load_handoff_rules(tmp_path, CHICAGO)


def test_a_broken_or_missing_file_names_the_file(tmp_path: Path) -> None:
    """Not a traceback from the YAML parser: the file, the line and what to check."""
    with pytest.raises(ContentError, match="handoff.yml: file not found"):
        load_handoff_rules(tmp_path, CHICAGO)
    (tmp_path / "handoff.yml").write_text("handoff:\n  staff_hours: [\n", encoding="utf-8")
    with pytest.raises(ContentError, match="handoff.yml: not valid YAML near line"):
        load_handoff_rules(tmp_path, CHICAGO)


def test_retention_periods_default_to_90_days_and_can_be_set(tmp_path: Path) -> None:
    """Conversations and handoff records: 90 days unless the file says otherwise."""
    rules = load_handoff_rules(write_rules(tmp_path), CHICAGO)
    assert (rules.conversation_retention_days, rules.handoff_retention_days) == (90, 90)
    rules = load_handoff_rules(write_rules(tmp_path, conversation_retention_days=30,
                                           handoff_retention_days=7), CHICAGO)
    assert (rules.conversation_retention_days, rules.handoff_retention_days) == (30, 7)
    with pytest.raises(HandoffRulesError, match="conversation_retention_days"):
        load_handoff_rules(write_rules(tmp_path, conversation_retention_days=0), CHICAGO)


def test_the_shipped_retention_periods(project_root: Path, content) -> None:
    rules = load_handoff_rules(project_root / "content", content.clinic.time_zone)
    assert (rules.conversation_retention_days, rules.handoff_retention_days,
            rules.callback_retention_days) == (90, 90, 30)
