"""Rebuilding the database files after erasures on the running server, off its event loop.

A rebuild (`VACUUM`, clinic_assistant/sqlite_wal.py) rewrites a whole file: about a second for
a 200 MB tracker file. Run on the event loop it would freeze every chat meanwhile, so it runs in
a worker thread, after the conversations' locks are released (it changes no row). Rebuilds run
one at a time, and a request waits only for a rebuild that started after its own deletion:
erasures that arrive while one runs share the next.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Callable

logger = logging.getLogger(__name__)


class SharedRebuild:
    """One server's rebuilds of its files (`rebuild` rebuilds them all, in a worker thread)."""

    def __init__(self, rebuild: Callable[[], object]) -> None:
        self._rebuild = rebuild
        self._lock = asyncio.Lock()
        self._started = 0
        self._finished = 0

    async def after_deletion(self) -> None:
        """Return once a rebuild that started after this call has finished."""
        wanted = self._started + 1
        async with self._lock:
            if self._finished >= wanted:
                return
            self._started += 1
            number = self._started
            try:
                await asyncio.to_thread(self._rebuild)
            except Exception as error:  # the rows are deleted; the next rebuild finishes the job
                logger.error("Rebuilding the database files failed (%s).", type(error).__name__)
            finally:
                self._finished = number
