"""What erasure leaves in a SQLite tracker file's bytes, by method, and what the rebuild costs.

    python -m benchmarks.erasure_leftovers [--files 60] [--big-events 150000]

Each seeded file holds 80 conversations written in interleaved turns (as a busy widget writes
them), deleted in four rounds of ten (as daily purges do); after each round the file and its
write-ahead log are searched for the deleted conversations' ids and message words. Methods:
`secure_delete` with a checkpoint (erasure before 2026-12-02), the same with the index rebuilt
(`REINDEX`), and the project's erasure (`tracker_events.delete_conversations`: `VACUUM`). Then the
time of one rebuild of a large file. Prints numbers; asserts nothing (docs/security.md).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence

from rasa.shared.core.domain import Domain

from clinic_assistant.retention import tracker_events
from clinic_assistant.serving.tracker_store import CachedSQLTrackerStore

CONVERSATIONS = 80
ROUNDS = 4
PER_ROUND = 10

Delete = Callable[[Path, List[str]], None]


def write_turns(path: Path, seed: int, conversations: int = CONVERSATIONS) -> Dict[str, str]:
    """Rasa's events table (made by the project's store) filled with interleaved turns of many
    conversations; returns each conversation id with a word only its messages hold."""
    CachedSQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(path))
    rng = random.Random(seed)
    words = {f"patient-{rng.getrandbits(32):08x}": f"zebra{rng.getrandbits(32):08x}"
             for _ in range(conversations)}
    senders = sorted(words)
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")  # as the server's store writes it
        for turn in range(conversations * 15):
            sender = rng.choice(senders)
            text = f"{words[sender]} {'x' * rng.randint(20, 1500)}"
            connection.execute(
                "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, ?, ?, ?)",
                (sender, "user", float(turn), f'{{"event": "user", "text": "{text}"}}'))
            if rng.random() < 0.3:
                connection.commit()
    return words


def left_in_bytes(path: Path, needles: Sequence[str]) -> List[str]:
    """The needles found in the database file or its write-ahead log."""
    data = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
    return [needle for needle in needles if needle.encode() in data]


def delete_with_secure_delete_only(path: Path, senders: List[str],
                                   extra: Optional[str] = None) -> None:
    """Erasure before the rebuild: zero the deleted rows, checkpoint, empty the log."""
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA secure_delete=ON")
        marks = ",".join("?" * len(senders))
        connection.execute(f"DELETE FROM events WHERE sender_id IN ({marks})", senders)
        connection.commit()
        if extra:
            connection.execute(extra)
            connection.commit()
        assert connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0


def delete_with_project_erasure(path: Path, senders: List[str]) -> None:
    """The project's erasure (secure_delete, VACUUM, checkpoint)."""
    engine = tracker_events.sqlite_engine(path)
    tracker_events.delete_conversations(engine, senders)
    engine.dispose()


def files_with_leftovers(delete: Delete, files: int, folder: Path) -> int:
    """How many seeded files (written in `folder`) still held a deleted id or word after some
    round."""
    folder.mkdir()
    count = 0
    for seed in range(files):
        path = folder / f"{seed}.db"
        words = write_turns(path, seed)
        rng = random.Random(seed)
        alive, gone, found = sorted(words), [], False
        for _ in range(ROUNDS):
            victims = rng.sample(alive, PER_ROUND)
            alive = [sender for sender in alive if sender not in victims]
            gone += victims
            delete(path, victims)
            found = found or bool(left_in_bytes(path, gone + [words[s] for s in gone]))
        count += found
    return count


def rebuild_seconds(events: int, folder: Path) -> str:
    """Size of a file with `events` rows of 200-2,000 characters, and one rebuild's time."""
    path = folder / "big.db"
    CachedSQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(path))
    rng = random.Random(1)
    senders = [f"{rng.getrandbits(128):032x}" for _ in range(max(1, events // 30))]
    with sqlite3.connect(path) as connection:
        connection.executemany(
            "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, ?, ?, ?)",
            ((rng.choice(senders), "user", float(i), "y" * rng.randint(200, 2000))
             for i in range(events)))
    megabytes = path.stat().st_size / 1e6
    engine = tracker_events.sqlite_engine(path)
    started = time.monotonic()
    deleted = tracker_events.delete_conversations(engine, senders[:1])
    seconds = time.monotonic() - started
    engine.dispose()
    return (f"one erasure ({deleted} events) of a {megabytes:.0f} MB file with {events:,} events, "
            f"rebuild included: {seconds:.2f} s")


def main(argv: Optional[Sequence[str]] = None) -> None:
    """Print the leftovers of each method and the rebuild's time."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=60)
    parser.add_argument("--big-events", type=int, default=150_000)
    args = parser.parse_args(argv)
    methods: Dict[str, Delete] = {
        "secure_delete + checkpoint": delete_with_secure_delete_only,
        "secure_delete + REINDEX + checkpoint":
            lambda path, senders: delete_with_secure_delete_only(path, senders, "REINDEX"),
        "project erasure (VACUUM)": delete_with_project_erasure,
    }
    print(f"SQLite {sqlite3.sqlite_version}; {CONVERSATIONS} conversations per file, {ROUNDS} "
          f"rounds of {PER_ROUND} deletions")
    with tempfile.TemporaryDirectory() as folder:
        for number, (name, delete) in enumerate(methods.items()):
            leftovers = files_with_leftovers(delete, args.files, Path(folder) / str(number))
            print(f"{name}: deleted text or ids left in {leftovers} of {args.files} files")
        print(rebuild_seconds(args.big_events, Path(folder)))


if __name__ == "__main__":
    main()
