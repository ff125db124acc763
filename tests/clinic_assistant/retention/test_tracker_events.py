"""Deleting conversations from a real tracker file leaves no copy of them in its bytes.

Many conversations written in turns, as a busy clinic's widget writes them, then deleted in
rounds, as the daily purge does: page splits and merges in between leave copies of rows in the
unused space of pages, which `secure_delete` alone does not clear (the control file below shows
that it does not), so the file is rebuilt after each deletion. The same files, more seeds and
the rebuild's cost: `python -m benchmarks.erasure_leftovers`.
"""

from __future__ import annotations

import random
import sqlite3

from benchmarks.erasure_leftovers import (PER_ROUND, ROUNDS, delete_with_secure_delete_only,
                                          left_in_bytes, write_turns)
from clinic_assistant.retention import tracker_events


#: Seeds whose control files keep copies in most rounds (SQLite 3.40.1), so that the control
#: does not hang on one copy.
SEEDS = (7, 10, 13)


def test_rounds_of_deletion_leave_no_id_or_text_of_a_deleted_conversation(tmp_path) -> None:
    seeds_with_copies_without_rebuild = set()
    for seed in SEEDS:
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
            if left_in_bytes(control, needles):
                seeds_with_copies_without_rebuild.add(seed)
        engine.dispose()
        with sqlite3.connect(rebuilt) as connection:
            kept = {row[0] for row in connection.execute("SELECT DISTINCT sender_id FROM events")}
        assert kept == set(alive)
        assert all(word.encode() in rebuilt.read_bytes() for word in
                   (words[sender] for sender in alive))
    # The rebuild is needed: without it, copies were left in each of these files.
    assert seeds_with_copies_without_rebuild == set(SEEDS)
