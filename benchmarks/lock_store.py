"""Rasa's RedisLockStore and the atomic one under the same load from two processes.

Run: python -m benchmarks.lock_store [--tasks 2] [--rounds 5] [--repeat 5]
A private redis-server (clinic_assistant/stack/redis_server.py) and two worker processes per run
(benchmarks/lock_worker.py): each has TASKS concurrent "messages" of one
conversation, ROUNDS times, doing a read-modify-write under the conversation's lock. Prints, per
store, messages dropped with LockError and updates lost to two handlers at once (summed over
the repeats).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, Sequence

from clinic_assistant.settings import PROJECT_ROOT
from clinic_assistant.stack.redis_server import RedisServer, start_redis

WORKER = "benchmarks.lock_worker"


def one_run(server: RedisServer, kind: str, conversation: str, tasks: int,
            rounds: int) -> Dict[str, int]:
    """Two processes at once on one conversation; what was dropped and what was lost."""
    env = {**os.environ, "REDIS_PORT": str(server.port), "REDIS_PASSWORD": server.password}
    start = time.time() + 4
    workers = [subprocess.Popen([sys.executable, "-m", WORKER, kind, conversation, str(tasks),
                                 str(rounds), str(start)], cwd=PROJECT_ROOT, env=env,
                                stdout=subprocess.PIPE, text=True) for _ in range(2)]
    results = [json.loads(w.communicate(timeout=300)[0].strip().splitlines()[-1])
               for w in workers]
    dropped = sum(r["lock_errors"] for r in results)
    handled = sum(r["rounds"] for r in results) - dropped
    counted = int(server.client(db=1).get(f"counter:{conversation}") or 0)
    return {"messages": 2 * tasks * rounds, "dropped": dropped, "lost_updates": handled - counted}


def main(argv: Sequence[str] | None = None) -> None:
    """Run both stores `--repeat` times and print one JSON line per store."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    server = start_redis(Path(tempfile.mkdtemp(prefix="lock-store-")))
    try:
        for kind in ("rasa", "atomic"):
            total = {"messages": 0, "dropped": 0, "lost_updates": 0}
            for number in range(args.repeat):
                run = one_run(server, kind, f"{kind}-{number}", args.tasks, args.rounds)
                total = {key: total[key] + run[key] for key in total}
            print(json.dumps({"store": kind, **total}), flush=True)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
