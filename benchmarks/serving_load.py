"""Load runs against the project's assistant only, without the rest of `make bench`.

Run: python -m benchmarks.serving_load [--runs reading:1:30,reading:20:45,closed:20:20]
       [--root PATH] [--work DIR]
Each run is shape:patients:seconds. The servers start as the tests start them (clinic_assistant/stack/assistant.py:
action server, Rasa server, SQLite store, serving thread limits); five warm-up messages go first.
`--root` measures another checkout of the project (before/after) with this checkout's start-up;
to lift the thread limits, set them in the environment (e.g. OPENBLAS_NUM_THREADS=2).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
from pathlib import Path
from typing import List, Sequence

from benchmarks.load import LOAD_QUESTIONS, LoadResult, run_load
from clinic_assistant.settings import PROJECT_ROOT
from clinic_assistant.stack.assistant import UNLIMITED_CHAT, start_assistant

DEFAULT_RUNS = "reading:1:30,reading:20:45,closed:20:20,reading:100:30"


def parse_runs(spec: str) -> List[tuple]:
    """'reading:20:45,closed:20:20' -> [('reading', 20, 45.0), ('closed', 20, 20.0)]."""
    runs = []
    for item in spec.split(","):
        shape, patients, seconds = item.split(":")
        if shape not in ("reading", "closed"):
            raise ValueError(f"unknown load shape {shape!r}: reading or closed")
        runs.append((shape, int(patients), float(seconds)))
    return runs


def measure(root: Path, work: Path, runs: Sequence[tuple]) -> List[LoadResult]:
    """Start the assistant in `root`, warm it up, and run each load in turn."""
    assistant = start_assistant(root, work, extra_env=UNLIMITED_CHAT)
    try:
        for number, question in enumerate(LOAD_QUESTIONS[:5]):
            assistant.say(f"warm-up-{number}", question)
        results = []
        for shape, patients, seconds in runs:
            result = asyncio.run(run_load(str(root), assistant.url, LOAD_QUESTIONS, patients,
                                          shape, seconds))
            print(json.dumps({"shape": shape, "patients": patients, "requests": result.requests,
                              "lost": result.errors, "p50": round(result.p50),
                              "p95": round(result.p95), "p99": round(result.p99),
                              "replies_per_s": round(result.throughput, 1)}), flush=True)
            results.append(result)
        return results
    finally:
        assistant.stop()


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the arguments and run the loads."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", default=DEFAULT_RUNS)
    parser.add_argument("--root", type=Path, default=PROJECT_ROOT)
    parser.add_argument("--work", type=Path, default=None, help="folder for logs and tracker.db")
    args = parser.parse_args(argv)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    work = args.work or Path(tempfile.mkdtemp(prefix="serving-load-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"serving_load: logs and tracker.db in {work}", flush=True)
    measure(args.root.resolve(), work, parse_runs(args.runs))


if __name__ == "__main__":
    main()
