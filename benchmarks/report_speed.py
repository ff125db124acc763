"""How long `python -m clinic_assistant.reporting` takes on hostile and large tracker stores.

Run: python -m benchmarks.report_speed [--conversations 10000] [--characters 5000000]
Builds real SQLite tracker stores with Rasa's own SQLTrackerStore (one conversation; the large
store repeats Rasa's rows under new senders), runs the report command in a fresh process on
each and prints the seconds. Figures depend on the machine and its load: they are printed, not
asserted.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import List, Optional, Tuple

from clinic_assistant.settings import PROJECT_ROOT
from benchmarks.rasa_store import (
    MARKER, START, copy_conversation, form_end, form_start, session_start, turn,
    write_conversations,
)

#: Words from which the unanswered questions of the large store are made (all different).
WORDS = ("parking wifi coffee insurance billing dog pharmacy lunch taxi bus train weather "
         "music chess tennis yoga knee hip elbow shoulder massage diet sleep").split()


def hostile_message(characters: int) -> str:
    """A message of `characters` characters made of the runs that trip naive patterns."""
    units = ["a" * 1000, "_" * 1000, "]" * 500 + "(" * 500, "1 " * 500, "@" * 1000,
             "a." * 500, "<" * 1000, "x-" * 500, " " * 1000]
    text = "".join(units[i % len(units)] for i in range(characters // 1000 + 1))
    return text[:characters]


def big_message_store(path: Path, characters: int) -> Path:
    """One conversation whose unanswered question is `characters` long."""
    events = [*session_start(START), *turn("hello", "greet", START + 1),
              *turn(hostile_message(characters), "nlu_fallback", START + 2),
              *turn("/none_of_these", "none_of_these", START + 3),
              *turn(hostile_message(characters), "red_flag_symptoms", START + 4)]
    return write_conversations(path, [("big-message", events)])


def varied_words(n: int) -> str:
    """Four words and a number: a different question in every copied conversation."""
    generator = random.Random(n)
    return " ".join(generator.choice(WORDS) for _ in range(4)) + f" {n}"


def many_conversations_store(path: Path, conversations: int) -> Path:
    """`conversations` conversations of 7 messages (an FAQ, an unanswered question, a call-back
    form with its answers) spread over 30 days."""
    t = START
    events = [*session_start(t), *turn("hello", "greet", t + 1),
              *turn("what is a herniated disc", "faq_herniated_disc", t + 2),
              *turn(f"do you know {MARKER}", "nlu_fallback", t + 3),
              *turn("can you call me back", "request_callback", t + 4, after=form_start(t + 4)),
              *turn(f"Jane {MARKER}", "nlu_fallback", t + 5),
              *turn("jane@example.com", "out_of_scope", t + 6),
              *turn("yes", "affirm", t + 7, after=form_end(t + 7))]
    write_conversations(path, [("template", events)])
    copy_conversation(path, "template", conversations - 1, spread_seconds=30 * 86400,
                      words=varied_words)
    return path


def run_report(db: Path, out: Path) -> Tuple[float, str]:
    """Seconds the report command takes in a fresh process, and what it printed."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "clinic_assistant.reporting", "--db", str(db), "--out", str(out),
         "--tz", "UTC", "--handoff-url", f"sqlite:///{out / 'none.db'}"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=1800, check=True,
    )
    return time.perf_counter() - started, done.stdout


def main(argv: Optional[List[str]] = None) -> int:
    """Build both stores, run the report on each, print the timings."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.report_speed")
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--characters", type=int, default=5_000_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name, build in (
            (f"one {args.characters:,}-character message",
             lambda p: big_message_store(p, args.characters)),
            (f"{args.conversations:,} conversations",
             lambda p: many_conversations_store(p, args.conversations)),
        ):
            started = time.perf_counter()
            db = build(root / "tracker.db")
            built = time.perf_counter() - started
            seconds, printed = run_report(db, root / "out")
            sizes = ", ".join(f"{p.name} {p.stat().st_size / 1024:.0f} KB"
                              for p in sorted((root / "out").glob("*.*")) if p.suffix != ".db")
            print(f"{name}: report {seconds:.1f} s (store built in {built:.1f} s); {sizes}")
            print("  " + printed.strip().splitlines()[0])
            db.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
