"""The console's Export and Erase buttons in a real browser, against the real servers."""

from __future__ import annotations

import json
import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.web.console_pages import close_open_chats, signed_in

from tests.e2e.test_retention import mentioning, snapshot

pytestmark = pytest.mark.e2e
PASSWORD = "a long staff password too"
TIMEOUT_MS = 20_000


@pytest.fixture
def console(browser, assistant):
    """The console signed in as Omar; confirmation dialogs are answered by `console.answers`."""
    with signed_in(browser, assistant, "omar", "Omar (reception)", PASSWORD) as page:
        yield page


def test_export_then_erase_after_confirming(console, assistant, screenshot_dir):
    close_open_chats(assistant, console)
    patient, word = f"browser-{uuid.uuid4().hex[:8]}", "zebra" + uuid.uuid4().hex[:10]
    assistant.say(patient, f"my knee and back hurt, I am {word}")
    assistant.say(patient, "I'd like to talk to a person")
    waiting = console.locator("#waiting .item")
    expect(waiting).to_have_count(1, timeout=TIMEOUT_MS)
    waiting.first.click()
    expect(console.locator(".transcript")).to_contain_text(word, timeout=TIMEOUT_MS)
    number = assistant.handoff_rows("SELECT id FROM handoffs WHERE conversation_id = ?", patient)[0][0]

    with console.expect_download() as download:
        console.get_by_role("button", name="Export").click()
    assert download.value.suggested_filename == f"conversation-handoff-{number}.json"
    copy = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert any(word in (e.get("text") or "") for e in copy["events"])
    expect(console.get_by_role("button", name="Export")).to_be_enabled()
    expect(console.get_by_role("status")).to_have_text(
        f"Handoff #{number} exported as conversation-handoff-{number}.json.")
    expect(console.get_by_role("button", name="Export")).to_be_focused()
    console.screenshot(path=str(screenshot_dir / "console-export-erase.png"))

    console.answers.append(False)  # "Cancel" keeps everything
    console.get_by_role("button", name="Erase").click()
    expect(console.get_by_role("button", name="Erase")).to_be_enabled()
    assert console.dialogs and "Erase this conversation everywhere?" in console.dialogs[-1]
    assert mentioning(snapshot(assistant)[("tracker.db", "events")], [patient])

    console.answers.append(True)
    console.get_by_role("button", name="Erase").click()
    expect(console.locator("#detail")).to_contain_text(
        re.compile(rf"Erased handoff #{number}: \d+ stored events, 1 handoff record"),
        timeout=TIMEOUT_MS)
    expect(console.get_by_role("status")).to_have_text(
        re.compile(rf"^Erased handoff #{number}: \d+ stored events, 1 handoff record"))
    expect(console.locator("#waiting .item")).to_have_count(0)
    expect(console.locator("#waiting-heading")).to_be_focused()
    for key, rows in snapshot(assistant).items():
        assert mentioning(rows, [patient, word]) == [], key
    audit = assistant.handoff_rows("SELECT action, outcome FROM audit_log WHERE actor = 'omar' "
                                   "AND action IN ('export', 'erase') ORDER BY id")
    assert audit == [("export", "ok"), ("erase", "ok")]
