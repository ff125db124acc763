"""A process that uses the lock store as a Rasa server does (benchmarks.lock_store and
tests/clinic_assistant/serving/test_lock_store.py start two of them).

python -m benchmarks.lock_worker STORE CONVERSATION TASKS ROUNDS START
(STORE: atomic or rasa; REDIS_PORT and REDIS_PASSWORD in the environment). From the Unix time
START on (START "stdin": once a line arrives on stdin, after the worker printed "ready"), TASKS
concurrent tasks each handle ROUNDS "messages" of one conversation: under the
conversation's lock, read a counter, wait 2 ms (the model's work), write it back plus one. Prints
one JSON line: how many rounds ran and how many failed with LockError.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time

from rasa.core.lock_store import LockError, RedisLockStore

from clinic_assistant.serving.lock_store import AtomicRedisLockStore


async def handle(store: RedisLockStore, conversation: str, rounds: int) -> int:
    """ROUNDS read-modify-writes under the conversation's lock; how many met LockError."""
    failures = 0
    for _ in range(rounds):
        try:
            async with store.lock(conversation, wait_time_in_seconds=0.01):
                value = int(store.red.get(f"counter:{conversation}") or 0)
                await asyncio.sleep(0.002)
                store.red.set(f"counter:{conversation}", value + 1)
        except LockError:
            failures += 1
    return failures


async def main(kind: str, conversation: str, tasks: int, rounds: int, start: str) -> None:
    """Wait for START, run the tasks, print the JSON line."""
    settings = {"host": "127.0.0.1", "port": int(os.environ["REDIS_PORT"]),
                "password": os.environ["REDIS_PASSWORD"], "db": 1}
    store = AtomicRedisLockStore(**settings) if kind == "atomic" else RedisLockStore(**settings)
    if start == "stdin":
        print("ready", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    else:
        await asyncio.sleep(max(0.0, float(start) - time.time()))
    failures = await asyncio.gather(*(handle(store, conversation, rounds) for _ in range(tasks)))
    print(json.dumps({"rounds": tasks * rounds, "lock_errors": sum(failures)}))


if __name__ == "__main__":
    kind, conversation, tasks, rounds, start = sys.argv[1:6]
    asyncio.run(main(kind, conversation, int(tasks), int(rounds), start))
