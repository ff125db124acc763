"""Every console action on a patient's record appends one audit entry, without patient text."""

from __future__ import annotations

import asyncio

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from clinic_assistant.handoff.store import HandoffStore
from clinic_assistant.staff_console.app import create_app
from clinic_assistant.staff_console.audit import audited
from clinic_assistant.staff_console.settings import ConsoleSettings
from tests.clinic_assistant.staff_console.conftest import PASSWORD, rows, sign_in

CONSOLE = {"X-Clinic-Console": "1"}
PATIENT_TEXT = ("Samantha Patientname", "+15550102030", "my L4-L5 disc results")


def callback(store: HandoffStore) -> int:
    """A call-back request with recognisable patient details; its handoff number."""
    return store.save_callback("patient-secret-id", "requested", name=PATIENT_TEXT[0],
                               contact=PATIENT_TEXT[1], preferred_time="mornings",
                               reason_text=PATIENT_TEXT[2]).id


def entries(url: str) -> list:
    return rows(url, "SELECT actor, action, handoff_id, address, outcome FROM audit_log "
                     "ORDER BY id")


async def test_each_action_is_one_entry_with_who_what_which_where_and_outcome(
        console: TestClient, handoff_store: HandoffStore, handoff_db_url: str) -> None:
    handoff_store.add_staff("anna", "Anna (nurse)", PASSWORD)
    number = callback(handoff_store)
    await sign_in(console, "anna", "wrong password, long enough")
    await sign_in(console, "anna", PASSWORD)
    for _ in range(3):  # the page re-reads an open record every 2 s: one entry
        assert (await console.get(f"/api/handoffs/{number}")).status == 200
    assert (await console.post(f"/api/handoffs/{number}/claim", headers=CONSOLE)).status == 409
    assert (await console.post(f"/api/handoffs/{number}/reply", headers=CONSOLE,
                               json={"text": "hello"})).status == 409
    assert (await console.post(f"/api/handoffs/{number}/called-back",
                               headers=CONSOLE)).status == 200
    assert (await console.post(f"/api/handoffs/{number}/called-back",
                               headers=CONSOLE)).status == 409
    assert (await console.get("/api/handoffs/999")).status == 404
    await console.post("/logout", allow_redirects=False)
    assert entries(handoff_db_url) == [
        ("anna", "sign_in", None, "127.0.0.1", "failed: wrong password"),
        ("anna", "sign_in", None, "127.0.0.1", "ok"),
        ("anna", "open_transcript", number, "127.0.0.1", "ok"),
        ("anna", "claim", number, "127.0.0.1", "conflict"),
        ("anna", "reply", number, "127.0.0.1", "conflict"),
        ("anna", "called_back", number, "127.0.0.1", "ok"),
        ("anna", "called_back", number, "127.0.0.1", "conflict"),
        ("anna", "open_transcript", 999, "127.0.0.1", "not found"),
        ("anna", "sign_out", None, "127.0.0.1", "ok"),
    ]
    stored = repr(rows(handoff_db_url, "SELECT * FROM audit_log"))
    for text in (*PATIENT_TEXT, "patient-secret-id", PASSWORD, "hello"):
        assert text not in stored


async def test_unknown_usernames_are_not_stored_as_typed(
        console: TestClient, handoff_db_url: str) -> None:
    """A password typed into the username field must not land in the audit trail."""
    await sign_in(console, "my-secret-password-typed-here", "x")
    assert entries(handoff_db_url) == [
        ("(unknown account)", "sign_in", None, "127.0.0.1", "failed: unknown account")]


async def test_requests_without_a_session_change_nothing_and_are_not_entries(
        console: TestClient, handoff_store: HandoffStore, handoff_db_url: str) -> None:
    number = callback(handoff_store)
    assert (await console.post(f"/api/handoffs/{number}/called-back",
                               headers=CONSOLE)).status == 401
    assert entries(handoff_db_url) == []
    assert handoff_store.get(number).callback.done_at is None


async def test_auditing_a_new_action_takes_one_line(
        console_settings: ConsoleSettings, handoff_store: HandoffStore,
        handoff_db_url: str) -> None:
    """What the export and erase actions do: decorate the handler (here a made-up "print")."""
    @audited("print")
    async def print_record(request: web.Request) -> web.Response:
        return web.json_response({"id": int(request.match_info["handoff_id"])})

    app = create_app(console_settings)
    app.router.add_get("/api/handoffs/{handoff_id}/print", print_record)
    handoff_store.add_staff("anna", "Anna (nurse)", PASSWORD)
    async with TestClient(TestServer(app)) as client:
        await sign_in(client, "anna", PASSWORD)
        assert (await client.get("/api/handoffs/41/print")).status == 200
    assert entries(handoff_db_url)[-1] == ("anna", "print", 41, "127.0.0.1", "ok")


async def test_a_flood_of_refused_sign_ins_is_one_entry_a_minute_per_address(
        console: TestClient, handoff_store: HandoffStore, handoff_db_url: str) -> None:
    """Each refusal is logged; the audit trail keeps one per account, address and minute.
    The ten failures are sent at once: each is answered after FAILED_LOGIN_DELAY."""
    handoff_store.add_staff("anna", "Anna (nurse)", PASSWORD)
    await asyncio.gather(*(sign_in(console, "anna", "wrong password, long enough")
                           for _ in range(10)))
    for _ in range(20):
        assert (await sign_in(console, "anna", PASSWORD)).status == 429
    assert rows(handoff_db_url, "SELECT outcome, COUNT(*) FROM audit_log GROUP BY outcome "
                                "ORDER BY outcome") == [
        ("failed: wrong password", 10), ("refused: too many attempts", 1)]
