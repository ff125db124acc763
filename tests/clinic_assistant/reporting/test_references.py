"""Conversations are named by handoff number or a short keyed hash, never by their id."""

from __future__ import annotations

import re
import time

from clinic_assistant.handoff.store import HandoffStore
from clinic_assistant.reporting.cli import main
from clinic_assistant.reporting.handoff_numbers import read_handoff_times
from clinic_assistant.reporting.references import (
    KEY_VARIABLE, References, reference_key, short_reference,
)

from benchmarks.rasa_store import session_start, turn, write_conversations


def test_a_short_reference_is_8_hex_digits_stable_for_a_key_and_unlike_the_id():
    key = b"k" * 32
    reference = short_reference(("abc123", 1), key)
    assert re.fullmatch(r"C-[0-9a-f]{8}", reference)
    assert reference == short_reference(("abc123", 1), key)
    assert reference != short_reference(("abc123", 2), key), "each session its own"
    assert reference != short_reference(("abc123", 1), b"other key")


def test_the_key_comes_from_the_environment_or_is_random_per_run():
    assert reference_key({KEY_VARIABLE: "secret"}) == b"secret"
    assert reference_key({}) != reference_key({})


def test_a_conversation_with_a_handoff_is_named_by_its_number(tmp_path):
    url = f"sqlite:///{tmp_path / 'handoff.db'}"
    store = HandoffStore.from_url(url)
    store.start_live("someone-else", "requested")
    number = store.start_live("patient-sid", "red_flag").id
    now = time.time()
    references = References(key=b"k", handoffs=read_handoff_times(url),
                            spans={("patient-sid", 1): (now - 60, now),
                                   ("patient-sid", 2): (now + 3600, now + 3700)})
    assert references(("patient-sid", 1)) == f"handoff {number}"
    assert references(("patient-sid", 2)).startswith("C-"), "a later session has no handoff"


def test_a_missing_handoff_database_is_not_created(tmp_path):
    path = tmp_path / "none.db"
    assert not read_handoff_times(f"sqlite:///{path}").by_sender and not path.exists()


def test_the_report_files_name_conversations_without_their_ids(tmp_path, monkeypatch):
    now = time.time()
    secret = "Xk3bYq9-socket-session-secret"
    tracker = write_conversations(tmp_path / "tracker.db", [
        (secret, [*session_start(now - 30), *turn("I can't feel my legs", "red_flag_symptoms",
                                                   now - 20)]),
        ("+15550102030", [*session_start(now - 30),
                          *turn("I wet myself and my legs are numb", "red_flag_symptoms",
                                now - 10)]),
    ])
    handoff_url = f"sqlite:///{tmp_path / 'handoff.db'}"
    number = HandoffStore.from_url(handoff_url).start_live(secret, "red_flag").id
    monkeypatch.setenv(KEY_VARIABLE, "a-key-for-this-test")
    out = tmp_path / "reports"
    main(["--db", str(tracker), "--out", str(out), "--handoff-url", handoff_url])
    expected = short_reference(("+15550102030", 1), b"a-key-for-this-test")
    for name in ("report.html", "summary.md"):
        text = (out / name).read_text(encoding="utf-8")
        assert f"handoff {number}" in text and expected in text
        assert secret not in text and "Xk3bYq9" not in text and "5550102030" not in text
