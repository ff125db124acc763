"""Check that reading a text takes time proportional to its length (for pattern tests)."""

from __future__ import annotations

import time
from typing import Callable

#: Sixteen times the text: a linear reader takes about 16 times as long, a quadratic one 256.
#: The bound leaves room for a machine busy with other work (72 was seen under load 6).
GROWTH = 16
MAX_RATIO = 128


def _best_seconds(read: Callable[[str], object], text: str, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        read(text)
        best = min(best, time.perf_counter() - started)
    return best


def growth_ratio(read: Callable[[str], object], unit: str, chars: int = 2_000) -> float:
    """How many times longer `read` takes on 16 times as much of `unit` repeated (2,000 and
    32,000 characters by default: a quadratic reader is already 256 times slower there, and the
    ratios of the project's readers are the same as at 5,000 and 80,000, for 40% of the time)."""
    short = unit * max(1, chars // len(unit))
    small = _best_seconds(read, short, 5)
    large = _best_seconds(read, short * GROWTH, 3)
    return large / max(small, 1e-5)
