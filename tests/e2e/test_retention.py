"""Retention and erasure on the real files, with the real Rasa, action server and console
running: after each path no row of either database mentions the conversation, nothing else
was deleted, the audit trail is untouched, and the running server does not bring it back."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Dict, Iterable, List, Tuple

import pytest
import requests

from tests.conftest import PROJECT_ROOT
from tests.e2e.staff import StaffConsole, wait_for
from tests.e2e.test_console_security import FromAddress
from tests.e2e.test_callback_form import start_form
from tests.e2e.test_conversations import payloads, texts

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery"
DAY = 86400


def marker() -> str:
    """A word nobody else writes, to find the patient's text in any table or file."""
    return "zebra" + uuid.uuid4().hex[:10]


def tables(path: Path) -> Dict[str, List[tuple]]:
    """Every row of every table of a SQLite file."""
    with sqlite3.connect(path) as connection:
        names = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {name: connection.execute(f'SELECT * FROM "{name}"').fetchall() for name in names}


def databases(assistant) -> List[Path]:
    return [assistant.tracker_db, Path(assistant.handoff_db_url[len("sqlite:///"):])]


def snapshot(assistant) -> Dict[Tuple[str, str], List[tuple]]:
    return {(path.name, table): rows for path in databases(assistant)
            for table, rows in tables(path).items()}


def mentioning(rows: Iterable[tuple], needles: Iterable[str]) -> List[tuple]:
    return [row for row in rows if any(n in str(value) for value in row for n in needles)]


def assert_erased(assistant, before, needles: List[str]) -> None:
    """0 rows mention the conversation in any table; every other row is still there (by its
    first column, the row id: another test's chat may change meanwhile, a waiting one expires);
    the deleted text is not left in the files' bytes either."""
    after = snapshot(assistant)
    for key, rows in after.items():
        assert mentioning(rows, needles) == [], key
        kept = [row for row in before.get(key, []) if not mentioning([row], needles)]
        if key[1] == "audit_log":
            assert rows[:len(before.get(key, []))] == before.get(key, []), "audit trail changed"
        elif key[1] not in ("staff_sessions", "login_failures"):
            missing = {row[0] for row in kept} - {row[0] for row in rows}
            assert not missing, f"{key}: rows of other conversations were deleted: {missing}"
    for path in databases(assistant):
        for name in (path, Path(f"{path}-wal")):
            if name.exists():
                data = name.read_bytes()
                left = {n: data.index(n.encode()) for n in needles if n.encode() in data}
                assert not left, f"text left in {name.name} at byte offsets {left}"


def assert_not_logged(assistant, needles: List[str]) -> None:
    """Patient text and conversation ids never reach the servers' logs."""
    for process in assistant.processes:
        log = process.log.read_text(errors="replace")
        assert not [n for n in needles if n in log], process.log.name


def retention(assistant, content_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    """The real command, pointed at the test's files and server (token in the environment)."""
    env = {**os.environ, "TRACKER_DB": str(assistant.tracker_db),
           "HANDOFF_DB_URL": assistant.handoff_db_url, "RASA_URL": assistant.url,
           "RASA_AUTH_TOKEN": assistant.token, "CLINIC_CONTENT_DIR": str(content_dir)}
    return subprocess.run([sys.executable, "-m", "clinic_assistant.retention", *args],
                          input=stdin, text=True, capture_output=True, env=env, cwd=PROJECT_ROOT,
                          timeout=120)


def chat_with_rating(assistant, patient: str, word: str) -> None:
    replies = assistant.say(patient, f"what is a herniated disc? my name is {word}")
    ratings = [p for p in payloads(replies) if p.startswith("/feedback")]
    assert ratings, replies
    assistant.say(patient, ratings[-1])


def stored_texts(assistant, patient: str) -> str:
    return str(mentioning(tables(assistant.tracker_db)["events"], [patient]))


@pytest.fixture
def staff(assistant) -> StaffConsole:
    assistant.add_staff("rita", "Rita (nurse)", PASSWORD)
    console = StaffConsole(assistant.console_url)
    assert console.sign_in("rita", PASSWORD).status_code == 303
    yield console
    assistant.sign_out_all_staff()


def test_erase_by_conversation_id_while_the_server_runs(assistant, e2e_content_dir):
    patient, other = f"erase-{uuid.uuid4().hex[:8]}", f"keep-{uuid.uuid4().hex[:8]}"
    secret, kept_word = marker(), marker()
    chat_with_rating(assistant, patient, secret)
    chat_with_rating(assistant, other, kept_word)
    before = snapshot(assistant)
    assert mentioning(before[("tracker.db", "events")], [secret])
    stored = b"".join(p.read_bytes() for p in (assistant.tracker_db, Path(f"{assistant.tracker_db}-wal"))
                      if p.exists())
    assert secret.encode() in stored  # the byte check below can fail
    assert any('"feedback"' in str(row) for row in mentioning(before[("tracker.db", "events")], [patient]))

    done = retention(assistant, e2e_content_dir, "erase", "--conversation", patient, "--yes")
    assert done.returncode == 0, done.stderr
    assert "by the Rasa server" in done.stdout and patient not in done.stdout
    assert_erased(assistant, before, [patient, secret])
    assert kept_word in stored_texts(assistant, other)

    # The running server does not bring the old conversation back from memory.
    assistant.say(patient, "hello")
    assert secret not in stored_texts(assistant, patient)
    assert '"feedback"' not in stored_texts(assistant, patient)
    assert_not_logged(assistant, [secret, patient])


def test_callback_by_reference_export_then_erase(assistant, content, e2e_content_dir, tmp_path):
    patient, word = f"cb-{uuid.uuid4().hex[:8]}", marker()
    start_form(assistant, content, patient)
    for answer in (f"Sam {word}", f"{word}@example.com", "weekday mornings",
                   "the cost of the injection", "yes that's fine"):
        replies = assistant.say(patient, answer)
    reference = assistant.handoff_rows(
        "SELECT c.reference FROM callback_requests c JOIN handoffs h ON h.id = c.handoff_id "
        "WHERE h.conversation_id = ?", patient)[0][0]
    assert reference in texts(replies)[0]

    out = tmp_path / "export.json"
    exported = retention(assistant, e2e_content_dir, "export", "--reference", reference.lower(),
                         "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    import json
    data = json.loads(out.read_text())
    assert data["handoffs"][0]["callback"]["reference"] == reference
    assert data["handoffs"][0]["callback"]["contact"] == f"{word}@example.com"
    assert any(e.get("text") == f"Sam {word}" for e in data["events"] if e["event"] == "user")
    assert patient not in out.read_text()  # the conversation id is not in the patient's copy
    assert oct(out.stat().st_mode & 0o777) == "0o600"

    before = snapshot(assistant)
    refused = retention(assistant, e2e_content_dir, "erase", "--reference", reference, stdin="no\n")
    assert refused.returncode == 1 and snapshot(assistant) == before
    done = retention(assistant, e2e_content_dir, "erase", "--reference", reference, stdin="erase\n")
    assert done.returncode == 0, done.stderr
    assert f"1 call-back request(s) ({reference})" in done.stdout
    assert_erased(assistant, before, [patient, word, reference])
    again = retention(assistant, e2e_content_dir, "erase", "--reference", reference, "--yes")
    assert again.returncode == 1 and "nothing was deleted" in again.stderr
    assert_not_logged(assistant, [word, patient])


def test_console_export_and_erase_are_audited(assistant, content, staff):
    patient, word = f"console-{uuid.uuid4().hex[:8]}", marker()
    staff.overview()  # present: the patient is put through to staff
    assistant.say(patient, f"my back hurts, I am {word}")
    assistant.say(patient, "I'd like to talk to a person")
    number = wait_for(lambda: [h["id"] for h in staff.overview()["waiting"]], what="a waiting chat")[-1]
    assert assistant.handoff_rows("SELECT conversation_id FROM handoffs WHERE id = ?", number) == [(patient,)]

    exported = staff.api("GET", f"/handoffs/{number}/export")
    assert exported.status_code == 200
    assert exported.headers["Content-Disposition"] == (
        f'attachment; filename="conversation-handoff-{number}.json"')
    body = exported.json()
    assert any(word in (e.get("text") or "") for e in body["events"])
    assert body["handoffs"][0]["number"] == number and patient not in exported.text

    before = snapshot(assistant)
    assert staff.api("POST", f"/handoffs/{number}/erase", json={}).status_code == 400
    erased = staff.api("POST", f"/handoffs/{number}/erase", json={"confirm": True})
    assert erased.status_code == 200, erased.text
    assert erased.json()["handoffs"] == 1 and erased.json()["events"] > 0
    assert staff.api("GET", f"/handoffs/{number}").status_code == 404
    time.sleep(1.5)  # the console's watcher runs every 0.5 s: it must not re-create anything
    audit = assistant.handoff_rows(
        "SELECT action, outcome FROM audit_log WHERE actor = 'rita' AND handoff_id = ? "
        "ORDER BY id", number)
    assert [a for a in audit if a[0] in ("export", "erase")] == [
        ("export", "ok"), ("erase", "bad request"), ("erase", "ok")]
    assert_erased(assistant, before, [patient, word])
    assert_not_logged(assistant, [word, patient])


def test_purge_deletes_only_what_is_past_its_retention(assistant, content, e2e_content_dir):
    old, fresh, caller = (f"{kind}-{uuid.uuid4().hex[:8]}" for kind in ("old", "fresh", "caller"))
    old_word, fresh_word, caller_word = marker(), marker(), marker()
    chat_with_rating(assistant, old, old_word)
    chat_with_rating(assistant, fresh, fresh_word)
    start_form(assistant, content, caller)
    for answer in (f"Kim {caller_word}", "+1 555 010 2233", "afternoons", "surgery recovery",
                   "yes"):
        assistant.say(caller, answer)
    with sqlite3.connect(assistant.tracker_db) as connection:  # 91 days ago
        connection.execute("UPDATE events SET timestamp = timestamp - ? WHERE sender_id = ?",
                           (91 * DAY, old))
    assistant.handoff_rows("UPDATE callback_requests SET consented_at = datetime(consented_at, "
                           "'-31 days') WHERE handoff_id IN (SELECT id FROM handoffs WHERE "
                           "conversation_id = ?)", caller)
    before = snapshot(assistant)

    done = retention(assistant, e2e_content_dir, "purge")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("purge: 2 conversation(s)"), done.stdout
    assert_erased(assistant, before, [old, old_word, caller, caller_word])
    assert fresh_word in stored_texts(assistant, fresh)
    again = retention(assistant, e2e_content_dir, "purge")
    assert again.stdout.startswith("purge: 0 conversation(s)"), again.stdout


def test_the_widget_route_erases_only_widget_conversations_and_is_limited(assistant):
    url = f"{assistant.url}/webhooks/privacy"
    rest_patient = uuid.uuid4().hex  # looks like a widget session, but came through REST
    assistant.say(rest_patient, "hello")
    assert requests.post(f"{url}/erase", json={"conversation_id": rest_patient}).status_code == 401
    assert requests.post(f"{url}/erase", json={"conversation_id": rest_patient},
                         headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert requests.post(f"{url}/export", json={"handoff": 1}).status_code == 401
    # From its own loopback address: the limit counts per address (browser tests use 127.0.0.1).
    http = requests.Session()
    http.mount("http://", FromAddress("127.0.0.7"))
    assert http.post(f"{url}/erase-own", json={"session_id": "me"}).status_code == 400
    assert http.post(f"{url}/erase-own", data="[").status_code == 400
    assert http.post(f"{url}/erase-own", json={"session_id": rest_patient}).status_code == 403
    assert mentioning(tables(assistant.tracker_db)["events"], [rest_patient])
    for _ in range(2):  # attempts 4 and 5 of 5 per address in 10 minutes
        nobody = http.post(f"{url}/erase-own", json={"session_id": uuid.uuid4().hex})
        assert nobody.status_code == 200 and nobody.json()["events"] == 0
    limited = http.post(f"{url}/erase-own", json={"session_id": uuid.uuid4().hex})
    assert limited.status_code == 429 and "10 minutes" in limited.json()["error"]
    other = requests.post(f"{url}/erase-own", json={"session_id": uuid.uuid4().hex})
    assert other.status_code == 200  # another address is not affected
