"""The command reads a tracker store and writes report.html, summary.md and unanswered.yml."""

from __future__ import annotations

import stat
import time

import pytest
from rasa.shared.nlu.training_data.loading import load_data

from clinic_assistant.reporting.cli import main

from .conftest import EventsTable, at


@pytest.fixture
def table(events_table: EventsTable) -> EventsTable:
    t = events_table
    t.session("web-anna", at(1, 9))
    t.user("web-anna", "what's the wifi password", "nlu_fallback", at(1, 9, 1))
    t.user("web-anna", "email me at anna@example.com", "nlu_fallback", at(1, 9, 2))
    t.session("test-ben", at(1, 10))
    t.user("test-ben", "hello", "greet", at(1, 10, 1))
    return t


def test_writes_the_three_files_and_prints_no_patient_text(table, tmp_path, capsys):
    out = tmp_path / "reports"
    assert main(["--db", str(table.path), "--out", str(out), "--tz", "UTC"]) == 0
    printed = capsys.readouterr().out
    assert "wifi" not in printed and "anna" not in printed
    assert "2 conversations, 3 user messages" in printed
    for name in ("report.html", "summary.md", "unanswered.yml"):
        path = out / name
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert "anna@example.com" not in path.read_text(encoding="utf-8")
    examples = [m.get("text") for m in load_data(str(out / "unanswered.yml")).training_examples]
    assert sorted(examples) == ["email me at [email]", "what's the wifi password"]


def test_a_sqlalchemy_url_and_a_sender_prefix(table, tmp_path):
    out = tmp_path / "reports"
    main(["--url", f"sqlite:///{table.path}", "--out", str(out), "--sender-prefix", "test-",
          "--tz", "UTC"])
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "| Conversations | 1 |" in summary and "senders starting with 'test-'" in summary


def test_days_limits_the_period(table, tmp_path):
    table.user("cleo", "hello", "greet", time.time() - 3600)
    out = tmp_path / "reports"
    main(["--db", str(table.path), "--out", str(out), "--days", "7"])
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "| Conversations | 1 |" in summary and "the last 7 days" in summary


def test_the_database_defaults_to_tracker_db(table, tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_DB", str(table.path))
    main(["--out", str(tmp_path / "reports")])
    assert "| Conversations | 2 |" in (tmp_path / "reports/summary.md").read_text()


@pytest.mark.parametrize("argv, message", [
    (["--db", "missing.db"], "no tracker database"),
    (["--days", "0"], "--days"),
    (["--tz", "Mars/Olympus"], "unknown time zone"),
])
def test_bad_options_are_explained(tmp_path, capsys, argv, message):
    with pytest.raises(SystemExit) as exit_:
        main([*argv, "--out", str(tmp_path / "reports")])
    assert message in capsys.readouterr().err + str(exit_.value.code)
    assert not (tmp_path / "reports").exists()
