"""`python -m clinic_assistant.handoff`: staff accounts and call-back retention, in-process."""

from __future__ import annotations

import datetime as dt
import io
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import update

from clinic_assistant.handoff import totp
from clinic_assistant.handoff.audit import AuditLog
from clinic_assistant.handoff.cli import main
from clinic_assistant.handoff.database import make_session_factory
from clinic_assistant.handoff.records import CallbackRequest, utc_now
from clinic_assistant.handoff.store import HandoffStore
from tests.content_edits import repeat_key

PASSWORD = "a long enough password"


def type_in(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """What the script pipes to standard input."""
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_add_staff_reads_the_password_from_stdin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The account is created on the --db database and can sign in."""
    url = f"sqlite:///{tmp_path / 'other.db'}"
    type_in(monkeypatch, PASSWORD + "\n")
    assert main(["--db", url, "add-staff", "anna", "--name", "Anna (nurse)",
                 "--password-stdin"]) == 0
    assert "anna can now sign in" in capsys.readouterr().out
    member = HandoffStore.from_url(url).authenticate("anna", PASSWORD)
    assert member is not None and member.display_name == "Anna (nurse)"


def test_add_staff_uses_handoff_db_url_and_the_username_as_name(
    handoff_store: HandoffStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --db the configured database is used; without --name the username is shown."""
    type_in(monkeypatch, PASSWORD + "\n")
    assert main(["add-staff", "ben", "--password-stdin"]) == 0
    assert handoff_store.authenticate("ben", PASSWORD).display_name == "ben"


def test_a_weak_password_is_refused_and_nothing_changes(
    handoff_store: HandoffStore, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Exit code 2 with the reason; an existing account keeps its password."""
    handoff_store.add_staff("anna", "Anna", PASSWORD)
    type_in(monkeypatch, "short\n")
    assert main(["add-staff", "anna", "--password-stdin"]) == 2
    assert "too weak: use at least 15 characters" in capsys.readouterr().err
    assert handoff_store.authenticate("anna", PASSWORD) is not None
    assert handoff_store.authenticate("anna", "short") is None

    type_in(monkeypatch, "short\n")
    assert main(["add-staff", "carla", "--password-stdin"]) == 2
    assert handoff_store.authenticate("carla", "short") is None


def save(store: HandoffStore, conversation: str, age_days: int, url: str) -> int:
    """A call-back request consented `age_days` ago; returns the handoff id."""
    handoff = store.save_callback(conversation, "requested", name="Sam", contact="+15550102030",
                                  preferred_time="mornings", reason_text="cost")
    with make_session_factory(url).begin() as session:
        session.execute(update(CallbackRequest).where(CallbackRequest.handoff_id == handoff.id)
                        .values(consented_at=utc_now() - dt.timedelta(days=age_days)))
    return handoff.id


def test_purge_callbacks_uses_the_retention_in_the_content_file(
    handoff_store: HandoffStore, handoff_db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """content/handoff.yml keeps requests 30 days."""
    old = save(handoff_store, "p1", 31, handoff_db_url)
    recent = save(handoff_store, "p2", 29, handoff_db_url)
    assert main(["purge-callbacks"]) == 0
    assert "deleted 1 call-back request(s) older than 30 days" in capsys.readouterr().out
    assert handoff_store.get(old) is None
    assert handoff_store.get(recent) is not None


def test_purge_callbacks_days_overrides_the_retention(
    handoff_store: HandoffStore, handoff_db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """--days 7 deletes a request from 10 days ago and keeps one from 3 days ago."""
    old = save(handoff_store, "p1", 10, handoff_db_url)
    recent = save(handoff_store, "p2", 3, handoff_db_url)
    assert main(["--db", handoff_db_url, "purge-callbacks", "--days", "7"]) == 0
    assert "deleted 1 call-back request(s) older than 7 days" in capsys.readouterr().out
    assert handoff_store.get(old) is None
    assert handoff_store.get(recent) is not None


def test_a_command_is_required() -> None:
    """No command: argparse exits with its usage error."""
    with pytest.raises(SystemExit) as exit_info:
        main([])
    assert exit_info.value.code == 2


def test_totp_enrolment_prints_the_key_once_and_sign_in_then_needs_a_code(
    handoff_store: HandoffStore, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """--totp allows a 10-character password; the printed key makes the codes that work."""
    type_in(monkeypatch, "ten chars!\n")
    assert main(["add-staff", "anna", "--totp", "--password-stdin"]) == 0
    out = capsys.readouterr().out
    uri = next(word for word in out.split() if word.startswith("otpauth://totp/"))
    secret = parse_qs(urlparse(uri).query)["secret"][0]
    assert secret.replace(" ", "")[:4] in out.replace(" ", "")
    assert handoff_store.authenticate("anna", "ten chars!") is None
    assert handoff_store.authenticate("anna", "ten chars!", totp.code_at(secret, time.time()))

    type_in(monkeypatch, "ten chars!\n")
    assert main(["add-staff", "anna", "--password-stdin"]) == 0  # reset: key kept, not shown
    assert "otpauth" not in capsys.readouterr().out
    type_in(monkeypatch, "ten chars!\n")
    assert main(["add-staff", "anna", "--no-totp", "--password-stdin"]) == 2  # now too short


def test_resetting_a_password_says_it_signed_the_account_out(
    handoff_store: HandoffStore, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    handoff_store.add_staff("anna", "Anna", PASSWORD)
    token = handoff_store.start_session("anna", 3600)
    type_in(monkeypatch, "another long password\n")
    assert main(["add-staff", "anna", "--password-stdin"]) == 0
    assert "signed out of every open session" in capsys.readouterr().out
    assert handoff_store.session_member(token, utc_now()) is None


def test_audit_prints_the_entries_of_a_date_range(
    handoff_store: HandoffStore, capsys: pytest.CaptureFixture[str],
) -> None:
    log = AuditLog(handoff_store.session_factory)
    log.record("anna", "claim", "10.0.0.7", "ok", 12, at=dt.datetime(2026, 11, 3, 10, 0))
    log.record("ben", "close", "10.0.0.8", "ok", 12, at=dt.datetime(2026, 12, 1, 0, 0))
    assert main(["audit", "--since", "2026-11-01", "--until", "2026-12-01"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "audit: 1 entries from 2026-11-01 to 2026-12-01 (UTC, the end day excluded)"
    assert out[2].split() == ["2026-11-03", "10:00:00Z", "10.0.0.7", "anna", "claim", "#12", "ok"]
    assert len(out) == 3


def test_audit_refuses_a_badly_written_date(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["audit", "--since", "1 November"])
    assert "is not a date like 2026-11-01" in capsys.readouterr().err


def test_purge_callbacks_names_a_broken_content_file_and_deletes_nothing(
    handoff_store: HandoffStore, handoff_db_url: str, project_copy: Path,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A key written twice in content/handoff.yml: exit 2 with the file and the line, no traceback."""
    from clinic_assistant.content import get_content
    from clinic_assistant.settings import get_settings

    rules = project_copy / "content" / "handoff.yml"
    line = repeat_key(rules, "  callback_retention_days: 30", "  callback_retention_days: 1")
    old = save(handoff_store, "p1", 31, handoff_db_url)
    monkeypatch.setenv("CLINIC_CONTENT_DIR", str(project_copy / "content"))
    get_settings.cache_clear()
    get_content.cache_clear()
    try:
        assert main(["purge-callbacks"]) == 2
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
        get_content.cache_clear()
    err = capsys.readouterr().err
    assert f"handoff.yml, entry 'callback_retention_days': appears twice (the second time on " \
           f"line {line})" in err
    assert "merge the two or rename one. Nothing was deleted; fix the file (make validate " \
           "checks it) or pass --days." in err
    assert "Traceback" not in err
    assert handoff_store.get(old) is not None
