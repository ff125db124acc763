"""Deleting conversations from a real tracker file leaves no copy of them in its bytes.

Many conversations written in turns, as a busy clinic's widget writes them, then deleted in
rounds, as the daily purge does: page splits and merges in between leave copies of rows in the
unused space of pages, which `secure_delete` alone does not clear (the control file below shows
that it does not), so the file is rebuilt after each deletion.
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path
from typing import Dict, List

from rasa.shared.core.domain import Domain

from clinic_assistant.retention import tracker_events
from clinic_assistant.serving.tracker_store import CachedSQLTrackerStore

CONVERSATIONS = 80
ROUNDS = 4
PER_ROUND = 10


def write_turns(path: Path, seed: int) -> Dict[str, str]:
    """Rasa's events table (made by the project's store) filled with interleaved turns of many
    conversations; returns each conversation id with a word only its messages hold."""
    CachedSQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(path))
    rng = random.Random(seed)
    words = {f"patient-{rng.getrandbits(32):08x}": f"zebra{rng.getrandbits(32):08x}"
             for _ in range(CONVERSATIONS)}
    senders = sorted(words)
    with sqlite3.connect(path) as connection:
        for turn in range(CONVERSATIONS * 15):
            sender = rng.choice(senders)
            text = f"{words[sender]} {'x' * rng.randint(20, 1500)}"
            connection.execute(
                "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, ?, ?, ?)",
                (sender, "user", float(turn), f'{{"event": "user", "text": "{text}"}}'))
            if rng.random() < 0.3:
                connection.commit()
    return words


def left_in_bytes(path: Path, needles: List[str]) -> List[str]:
    """The needles found in the database file or its write-ahead log."""
    data = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
    return [needle for needle in needles if needle.encode() in data]


def delete_with_secure_delete_only(path: Path, senders: List[str]) -> None:
    """What erasure did before the rebuild: zero the deleted rows, checkpoint, empty the log."""
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA secure_delete=ON")
        connection.execute(f"DELETE FROM events WHERE sender_id IN ({','.join('?' * len(senders))})",
                           senders)
        connection.commit()
        assert connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0


def test_rounds_of_deletion_leave_no_id_or_text_of_a_deleted_conversation(tmp_path) -> None:
    leftovers_without_rebuild = 0
    for seed in range(3):
        rebuilt, control = tmp_path / f"rebuilt-{seed}.db", tmp_path / f"control-{seed}.db"
        words = write_turns(rebuilt, seed)
        assert write_turns(control, seed) == words
        engine = tracker_events.sqlite_engine(rebuilt)
        rng = random.Random(seed)
        alive, gone = sorted(words), []
        for _ in range(ROUNDS):
            victims = rng.sample(alive, PER_ROUND)
            alive = [sender for sender in alive if sender not in victims]
            gone += victims
            assert tracker_events.delete_conversations(engine, victims) > 0
            delete_with_secure_delete_only(control, victims)
            needles = gone + [words[sender] for sender in gone]
            assert left_in_bytes(rebuilt, needles) == [], f"seed {seed}"
            leftovers_without_rebuild += bool(left_in_bytes(control, needles))
        engine.dispose()
        with sqlite3.connect(rebuilt) as connection:
            kept = {row[0] for row in connection.execute("SELECT DISTINCT sender_id FROM events")}
        assert kept == set(alive)
        assert all(word.encode() in rebuilt.read_bytes() for word in
                   (words[sender] for sender in alive))
    # The rebuild is needed: without it, copies were left in these files.
    assert leftovers_without_rebuild > 0
