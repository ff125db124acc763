"""Counting attempts in a sliding time window, in memory (one server process)."""

from __future__ import annotations

import time
from collections import deque
from typing import Deque, Dict, Optional


class AttemptWindow:
    """At most `per_key` attempts per key and `overall` attempts in all within `seconds`."""

    def __init__(self, per_key: int, overall: int, seconds: float) -> None:
        self._per_key, self._overall, self._seconds = per_key, overall, seconds
        self._by_key: Dict[str, Deque[float]] = {}
        self._all: Deque[float] = deque()

    def _trim(self, times: Deque[float], now: float) -> None:
        while times and times[0] <= now - self._seconds:
            times.popleft()

    def allow(self, key: str, now: Optional[float] = None) -> bool:
        """Count one attempt for `key`; False (not counted) when a limit is reached."""
        now = time.monotonic() if now is None else now
        self._trim(self._all, now)
        times = self._by_key.get(key)
        if times is not None:
            self._trim(times, now)
            if not times:
                del self._by_key[key]
                times = None
        if len(self._all) >= self._overall or (times is not None and len(times) >= self._per_key):
            return False
        self._by_key.setdefault(key, deque()).append(now)
        self._all.append(now)
        if len(self._by_key) > 10 * self._overall:  # keys with old attempts only
            for stale in [k for k, v in self._by_key.items() if v[-1] <= now - self._seconds]:
                del self._by_key[stale]
        return True
