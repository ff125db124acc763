"""Concurrent simulated patients against a running assistant (asyncio + aiohttp).

Two load shapes: `reading` patients pause 1-3 s between messages as people do (and start at a
random moment within the first 3 s, as independent patients would); `closed` patients send the
next message as soon as the reply arrives (maximum throughput). Every patient has its
own conversation. A request counts as an error (a lost reply) when it fails, times out or comes
back without any bot message.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

import aiohttp

REQUEST_TIMEOUT = 60.0

#: General FAQ questions for the load runs (impersonal, so every answer ends with its sources).
LOAD_QUESTIONS = (
    "what is a herniated disc", "what are mesenchymal stem cells",
    "where do the stem cells come from", "how is the injection done",
    "does stem cell treatment for discs work", "what are the risks of the injection",
    "how long is the recovery", "how much does it cost", "is it approved by the FDA",
    "what causes a slipped disc",
)


@dataclass(frozen=True)
class LoadResult:
    """Latency percentiles (ms), throughput (replies/s) and errors of one load run."""

    target: str
    shape: str
    patients: int
    requests: int
    errors: int
    p50: float
    p95: float
    p99: float
    throughput: float


def percentile(values: Sequence[float], share: float) -> float:
    """The `share` percentile (0-1) of `values`, nearest rank."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


async def _patient(session: aiohttp.ClientSession, url: str, questions: Sequence[str],
                   shape: str, stop_at: float, samples: List[Tuple[float, bool]],
                   rng: random.Random) -> None:
    sender = f"load-{uuid.uuid4().hex[:12]}"
    index = rng.randrange(len(questions))
    if shape == "reading":
        # Reading patients are at different points of their reading: they do not all send
        # their first message in the same millisecond.
        await asyncio.sleep(rng.uniform(0.0, 3.0))
    while time.monotonic() < stop_at:
        text = questions[index % len(questions)]
        index += 1
        start = time.perf_counter()
        try:
            async with session.post(url, json={"sender": sender, "message": text},
                                    timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)) as reply:
                body = await reply.json()
                ok = reply.status == 200 and isinstance(body, list) and len(body) > 0
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
            ok = False
        samples.append((time.perf_counter() - start, ok))
        if shape == "reading":
            await asyncio.sleep(rng.uniform(1.0, 3.0))


def patient_addresses(patients: int) -> List[str]:
    """One loopback address per simulated patient (127.0.1.1, 127.0.1.2 ... then 127.0.2.x),
    as patients on different networks: per-address limits then see each on its own."""
    return [f"127.0.{1 + n // 250}.{1 + n % 250}" for n in range(patients)]


async def _patient_from(address: str, url: str, questions: Sequence[str], shape: str,
                        stop_at: float, samples: List[Tuple[float, bool]],
                        rng: random.Random) -> None:
    """One patient whose connections come from its own loopback address (its own network)."""
    connector = aiohttp.TCPConnector(limit=2, local_addr=(address, 0))
    async with aiohttp.ClientSession(connector=connector) as session:
        await _patient(session, url, questions, shape, stop_at, samples, rng)


async def run_load(target: str, base_url: str, questions: Sequence[str], patients: int,
                   shape: str, seconds: float, seed: int = 7,
                   addresses: Optional[Sequence[str]] = None) -> LoadResult:
    """Run `patients` concurrent patients for `seconds` and summarise. With `addresses`
    (one per patient), each patient connects from its own address, as the per-address chat
    limit sees patients on different networks."""
    url = f"{base_url}/webhooks/rest/webhook"
    samples: List[Tuple[float, bool]] = []
    rng = random.Random(seed)
    started = time.monotonic()
    stop_at = time.monotonic() + seconds
    if addresses is not None:
        await asyncio.gather(*(_patient_from(address, url, questions, shape, stop_at, samples,
                                             rng) for address in addresses[:patients]))
    else:
        connector = aiohttp.TCPConnector(limit=patients + 5)
        async with aiohttp.ClientSession(connector=connector) as session:
            await asyncio.gather(*(_patient(session, url, questions, shape, stop_at, samples,
                                            rng) for _ in range(patients)))
    elapsed = time.monotonic() - started
    latencies = [1000 * s for s, ok in samples if ok]
    return LoadResult(target, shape, patients, len(samples), sum(not ok for _, ok in samples),
                      percentile(latencies, .5), percentile(latencies, .95),
                      percentile(latencies, .99), len(latencies) / elapsed)


async def run_socketio(base_url: str, origin: str, questions: Sequence[str], clients: int,
                       messages_each: int) -> LoadResult:
    """Concurrent widget-like socket.io clients; latency until the complete FAQ answer."""
    import socketio

    samples: List[Tuple[float, bool]] = []

    async def client() -> None:
        sio = socketio.AsyncClient(reconnection=False)
        confirmed: asyncio.Queue = asyncio.Queue()
        replies: asyncio.Queue = asyncio.Queue()
        sio.on("session_confirm", lambda session_id: confirmed.put_nowait(session_id))
        sio.on("bot_uttered", lambda message: replies.put_nowait(message))
        # Long-polling: python-engineio's websocket client needs aiohttp >= 3.10, and Rasa 3.6
        # pins aiohttp below that. The browser widget itself uses the websocket transport.
        await sio.connect(base_url, transports=["polling"], headers={"Origin": origin})
        await sio.emit("session_request", {"session_id": None})
        session_id = await asyncio.wait_for(confirmed.get(), 30)
        for index in range(messages_each):
            start = time.perf_counter()
            await sio.emit("user_uttered", {"message": questions[index % len(questions)],
                                            "session_id": session_id})
            ok = False
            try:
                while True:
                    message = await asyncio.wait_for(replies.get(), REQUEST_TIMEOUT)
                    if str(message.get("text", "")).startswith("Sources:"):
                        ok = True
                        break
            except asyncio.TimeoutError:
                pass
            samples.append((time.perf_counter() - start, ok))
        await sio.disconnect()

    started = time.monotonic()
    outcomes = await asyncio.gather(*(client() for _ in range(clients)), return_exceptions=True)
    failures = [o for o in outcomes if isinstance(o, BaseException)]
    if failures:
        print(f"bench: {len(failures)} socket.io clients failed, first: {failures[0]!r}")
    elapsed = time.monotonic() - started
    latencies = [1000 * s for s, ok in samples if ok]
    expected = clients * messages_each
    return LoadResult("project (socket.io, polling)", "closed", clients, expected,
                      expected - len(latencies), percentile(latencies, .5),
                      percentile(latencies, .95), percentile(latencies, .99),
                      len(latencies) / elapsed if latencies else 0.0)
