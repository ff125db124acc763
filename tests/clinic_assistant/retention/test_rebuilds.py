"""Rebuilds after erasures run in a worker thread, one at a time, shared by erasures that
arrive while one runs, and the event loop keeps serving meanwhile."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import List

from clinic_assistant.retention.rebuilds import SharedRebuild


def test_erasures_arriving_during_a_rebuild_share_the_next_one() -> None:
    runs: List[str] = []

    def slow_rebuild() -> None:
        runs.append(threading.current_thread().name)
        time.sleep(0.3)

    async def scenario() -> List[float]:
        rebuilds = SharedRebuild(slow_rebuild)
        ticks: List[float] = []

        async def ticker() -> None:
            for _ in range(20):
                ticks.append(time.monotonic())
                await asyncio.sleep(0.02)

        first = asyncio.create_task(rebuilds.after_deletion())
        await asyncio.sleep(0.05)  # the first rebuild is running: three more erasures
        later = [asyncio.create_task(rebuilds.after_deletion()) for _ in range(3)]
        await asyncio.gather(first, *later, ticker())
        return ticks

    ticks = asyncio.run(scenario())
    assert len(runs) == 2  # the first, then one for the three that came during it
    assert threading.main_thread().name not in runs
    assert max(b - a for a, b in zip(ticks, ticks[1:])) < 0.2  # the loop was never frozen


def test_a_failing_rebuild_does_not_fail_the_erasure(caplog) -> None:
    def broken() -> None:
        raise RuntimeError("disk on fire: patient Robin Quail")

    asyncio.run(SharedRebuild(broken).after_deletion())
    assert "RuntimeError" in caplog.text and "Robin" not in caplog.text
