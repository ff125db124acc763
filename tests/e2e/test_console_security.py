"""The real staff console process resists guessing and audits every action (issue 11, items 3-4).

Guesses come from their own loopback addresses (127.0.0.3, 127.0.0.4 ...: on Linux the whole
127.0.0.0/8 is the loopback interface), so the console sees a different socket peer for each,
without trusting any header.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import List

import pytest
from requests.adapters import HTTPAdapter

from clinic_assistant.handoff.store import HandoffStore
from clinic_assistant.stack.assistant import start_console
from tests.e2e.staff import StaffConsole, wait_for
from clinic_assistant.stack.processes import free_port, wait_until_up

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "purple elephant bicycle 42"
WRONG = "orange giraffe tricycle 17"
PATIENT_WORDS = "my MRI from Dr Kowalski shows a bulge"
REPLY_WORDS = "Thanks, could you tell me when the pain started"
CALLBACK = {"name": "Jolanta Quixote", "contact": "+15550109876", "preferred_time": "mornings",
            "reason_text": "results of my lumbar scan"}


class FromAddress(HTTPAdapter):
    """Connect from a given local address (a different client, as the console sees it)."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def console_from(url: str, address: str) -> StaffConsole:
    console = StaffConsole(url)
    console.http.mount("http://", FromAddress(address))
    return console


def sign_in_status(url: str, address: str, username: str, password: str) -> int:
    return console_from(url, address).sign_in(username, password).status_code


def all_logs(assistant) -> str:
    return "\n".join(p.log.read_text(errors="replace") for p in assistant.processes)


def console_log(assistant) -> str:
    return next(p.log for p in assistant.processes
                if p.log.name == "console.log").read_text(errors="replace")


def test_the_eleventh_guess_is_refused_even_right_and_another_address_is_not(assistant):
    assistant.add_staff("dora", "Dora", PASSWORD)
    url = assistant.console_url
    statuses = [sign_in_status(url, "127.0.0.3", "dora", WRONG) for _ in range(10)]
    assert statuses == [303] * 10
    refused = console_from(url, "127.0.0.3").sign_in("dora", PASSWORD)
    assert refused.status_code == 429 and "Too many sign-in attempts" in refused.text
    assert 0 < int(refused.headers["Retry-After"]) <= 901
    assert "clinic_staff_session" not in refused.headers.get("Set-Cookie", "")
    other = console_from(url, "127.0.0.4")
    assert other.sign_in("dora", PASSWORD).status_code == 303
    assert other.api("GET", "/overview").status_code == 200

    rows = assistant.handoff_rows("SELECT address, outcome FROM audit_log WHERE actor = 'dora' "
                                  "AND action = 'sign_in' ORDER BY id")
    assert rows == [("127.0.0.3", "failed: wrong password")] * 10 + [
        ("127.0.0.3", "refused: too many attempts"), ("127.0.0.4", "ok")]
    log = console_log(assistant)
    assert "sign-in refused without checking: account=dora address=127.0.0.3" in log
    assert PASSWORD not in all_logs(assistant) and WRONG not in all_logs(assistant)


def test_sixty_guesses_at_once_get_ten_answers_and_a_restart_changes_nothing(
        assistant, e2e_content_dir, tmp_path: Path):
    """The issue's measurement, repeated: 60 wrong passwords at once from one address."""
    assistant.add_staff("emil", "Emil", PASSWORD)
    url = assistant.console_url
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=60) as pool:
        statuses: List[int] = list(pool.map(
            lambda _: sign_in_status(url, "127.0.0.5", "emil", WRONG), range(60)))
    seconds = time.monotonic() - started
    checked = statuses.count(303)
    print(f"\nguessing one account: 60 wrong passwords at once from one address: {checked} "
          f"checked, {statuses.count(429)} refused with 429, in {seconds:.1f} s "
          f"(at most {checked} guesses per 15 minutes from one address)")
    assert checked == 10 and statuses.count(429) == 50

    # A fresh console process on the same database (as after a restart) still refuses.
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT),
           "HANDOFF_DB_URL": assistant.handoff_db_url, "RASA_AUTH_TOKEN": assistant.token,
           "RASA_URL": assistant.url, "CLINIC_CONTENT_DIR": str(e2e_content_dir),
           "STAFF_WATCH_SECONDS": "0.5"}
    restarted = start_console(ROOT, env, port, tmp_path / "console-restarted.log")
    try:
        wait_until_up(f"http://127.0.0.1:{port}/health", restarted)
        assert sign_in_status(f"http://127.0.0.1:{port}", "127.0.0.5", "emil", PASSWORD) == 429
        assert sign_in_status(f"http://127.0.0.1:{port}", "127.0.0.6", "emil", PASSWORD) == 303
    finally:
        restarted.stop()
    assert PASSWORD not in restarted.log.read_text() and WRONG not in restarted.log.read_text()


def test_one_audit_entry_per_console_action_and_no_patient_text(assistant):
    assistant.add_staff("fran", "Fran (nurse)", PASSWORD)
    staff = console_from(assistant.console_url, "127.0.0.7")
    count = [assistant.handoff_rows("SELECT COUNT(*) FROM audit_log")[0][0]]

    def one_entry(action: str, handoff_id, outcome: str = "ok") -> None:
        total = assistant.handoff_rows("SELECT COUNT(*) FROM audit_log")[0][0]
        assert total == count[0] + 1, f"{action}: {total - count[0]} entries"
        count[0] = total
        last = assistant.handoff_rows("SELECT actor, action, handoff_id, address, outcome "
                                      "FROM audit_log ORDER BY id DESC LIMIT 1")
        assert last == [("fran", action, handoff_id, "127.0.0.7", outcome)]

    assert staff.sign_in("fran", PASSWORD).status_code == 303
    one_entry("sign_in", None)

    def live_handoff() -> int:
        patient = f"audit-{uuid.uuid4().hex[:8]}"
        assistant.say(patient, "/request_human")
        assistant.say(patient, PATIENT_WORDS)
        return wait_for(lambda: [h["id"] for h in staff.overview()["waiting"]
                                 if assistant.handoff_rows(
                                     "SELECT 1 FROM handoffs WHERE id = ? AND conversation_id = ?",
                                     h["id"], patient)], what="the new waiting chat")[0]

    first = live_handoff()
    count[0] = assistant.handoff_rows("SELECT COUNT(*) FROM audit_log")[0][0]  # overview: none
    assert PATIENT_WORDS in [line["text"] for line in staff.detail(first)["transcript"]]
    one_entry("open_transcript", first)
    staff.detail(first)  # the page re-reading the open chat is not a new action
    assert assistant.handoff_rows("SELECT COUNT(*) FROM audit_log")[0][0] == count[0]
    assert staff.api("POST", f"/handoffs/{first}/claim").status_code == 200
    one_entry("claim", first)
    assert staff.api("POST", f"/handoffs/{first}/reply",
                     json={"text": REPLY_WORDS}).status_code == 200
    one_entry("reply", first)
    assert staff.api("POST", f"/handoffs/{first}/hand-back").status_code == 200
    one_entry("hand_back", first)
    assert staff.api("POST", f"/handoffs/{first}/claim").status_code == 409
    one_entry("claim", first, "conflict")

    second = live_handoff()
    count[0] = assistant.handoff_rows("SELECT COUNT(*) FROM audit_log")[0][0]
    assert staff.api("POST", f"/handoffs/{second}/claim").status_code == 200
    one_entry("claim", second)
    assert staff.api("POST", f"/handoffs/{second}/close").status_code == 200
    one_entry("close", second)

    callback = HandoffStore.from_url(assistant.handoff_db_url).save_callback(
        f"audit-{uuid.uuid4().hex[:8]}", "requested", **CALLBACK).id
    assert staff.api("POST", f"/handoffs/{callback}/called-back").status_code == 200
    one_entry("called_back", callback)
    staff.http.post(f"{assistant.console_url}/logout", allow_redirects=False, timeout=30)
    one_entry("sign_out", None)

    stored = repr(assistant.handoff_rows("SELECT * FROM audit_log"))
    log = console_log(assistant)
    for secret in (PASSWORD, PATIENT_WORDS, REPLY_WORDS, *CALLBACK.values()):
        assert secret not in stored
        assert secret not in log
    assert PASSWORD not in all_logs(assistant)

    printed = subprocess.run(
        [sys.executable, "-m", "clinic_assistant.handoff", "--db", assistant.handoff_db_url,
         "audit"], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    fran = [line.split()[4:] for line in printed.splitlines()[2:] if " fran " in line]
    assert fran == [["sign_in", "-", "ok"], ["open_transcript", f"#{first}", "ok"],
                    ["claim", f"#{first}", "ok"], ["reply", f"#{first}", "ok"],
                    ["hand_back", f"#{first}", "ok"], ["claim", f"#{first}", "conflict"],
                    ["claim", f"#{second}", "ok"], ["close", f"#{second}", "ok"],
                    ["called_back", f"#{callback}", "ok"], ["sign_out", "-", "ok"]]
