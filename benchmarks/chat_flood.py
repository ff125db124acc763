"""Does one flooding client slow down other patients? Readers' latency without and with a flood.

Run: python -m benchmarks.chat_flood [--patients 20] [--seconds 30] [--rate 50]
The assistant starts with the shipped chat limits (clinic_assistant/settings.py), as the tests
start it (clinic_assistant/stack/assistant.py). Each reading patient connects from its own loopback address
(benchmarks.load.patient_addresses), as patients on different networks do. Two runs of the same readers follow each
other: alone, then while one client (127.0.0.9) posts `--rate` messages a second, half to one
conversation and half to a fresh conversation id each time (which only the per-address limit
stops). Prints one JSON line per run, then the flood's own counts.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import aiohttp

from benchmarks.load import LOAD_QUESTIONS, LoadResult, patient_addresses, run_load
from clinic_assistant.settings import PROJECT_ROOT
from clinic_assistant.stack.assistant import start_assistant

FLOOD_ADDRESS = "127.0.0.9"


@dataclass(frozen=True)
class FloodCounts:
    """What happened to the flooding client's messages (HTTP status -> count)."""

    sent: int
    statuses: Counter


async def flood(base_url: str, rate: float, seconds: float) -> FloodCounts:
    """Post `rate` messages a second for `seconds`, without waiting for replies in between."""
    url = f"{base_url}/webhooks/rest/webhook"
    statuses: Counter = Counter()
    connector = aiohttp.TCPConnector(limit=200, local_addr=(FLOOD_ADDRESS, 0))

    async def send(session: aiohttp.ClientSession, number: int) -> None:
        sender = "flooder" if number % 2 else f"flood-{uuid.uuid4().hex[:12]}"
        try:
            async with session.post(url, json={"sender": sender, "message": f"hello {number}"},
                                    timeout=aiohttp.ClientTimeout(total=60)) as reply:
                await reply.read()
                statuses[reply.status] += 1
        except (aiohttp.ClientError, asyncio.TimeoutError):
            statuses["failed"] += 1

    tasks = []
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.monotonic()
        number = 0
        while time.monotonic() - started < seconds:
            tasks.append(asyncio.ensure_future(send(session, number)))
            number += 1
            await asyncio.sleep(max(0.0, started + number / rate - time.monotonic()))
        await asyncio.gather(*tasks)
    return FloodCounts(sent=len(tasks), statuses=statuses)


async def readers_during_flood(base_url: str, patients: int, seconds: float,
                               rate: float) -> tuple:
    """The readers' load run and the flood, side by side for the same `seconds`."""
    readers = run_load("project", base_url, LOAD_QUESTIONS, patients, "reading", seconds,
                       addresses=patient_addresses(patients))
    result, counts = await asyncio.gather(readers, flood(base_url, rate, seconds))
    return result, counts


def summary(label: str, result: LoadResult) -> str:
    """One JSON line for a readers' run."""
    return json.dumps({"run": label, "patients": result.patients, "requests": result.requests,
                       "lost": result.errors, "p50": round(result.p50),
                       "p95": round(result.p95), "p99": round(result.p99)})


def measure(root: Path, work: Path, patients: int, seconds: float, rate: float) -> None:
    """Start the assistant with the shipped limits, warm it up, then both runs."""
    assistant = start_assistant(root, work)
    try:
        for number, question in enumerate(LOAD_QUESTIONS[:5]):
            assistant.say(f"warm-up-{number}", question)
        alone = asyncio.run(run_load("project", assistant.url, LOAD_QUESTIONS, patients,
                                     "reading", seconds, addresses=patient_addresses(patients)))
        print(summary("readers alone", alone), flush=True)
        during, counts = asyncio.run(readers_during_flood(assistant.url, patients, seconds, rate))
        print(summary(f"readers while one client sends {rate:g} messages/s", during), flush=True)
        print(json.dumps({"flood": {"sent": counts.sent,
                                    "answered": counts.statuses.get(200, 0),
                                    "refused_429": counts.statuses.get(429, 0),
                                    "other": {str(k): v for k, v in counts.statuses.items()
                                              if k not in (200, 429)}}}), flush=True)
    finally:
        assistant.stop()


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the arguments and run both measurements."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--rate", type=float, default=50.0, help="flood messages per second")
    args = parser.parse_args(argv)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    work = Path(tempfile.mkdtemp(prefix="chat-flood-"))
    print(f"chat_flood: logs and tracker.db in {work}", flush=True)
    measure(PROJECT_ROOT, work, args.patients, args.seconds, args.rate)


if __name__ == "__main__":
    main()
