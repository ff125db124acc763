"""The CPU reading of benchmarks/message_cpu.py."""

from __future__ import annotations

import os
import time

from benchmarks.message_cpu import KINDS, cpu_seconds


def test_cpu_seconds_grow_with_work_done_and_match_the_process_own_clock():
    before, own_before = cpu_seconds(os.getpid()), time.process_time()
    deadline = time.process_time() + 0.3
    total = 0
    while time.process_time() < deadline:
        total += sum(range(1000))
    used, own_used = cpu_seconds(os.getpid()) - before, time.process_time() - own_before
    assert total > 0
    assert 0.2 <= used <= own_used + 0.05  # /proc counts in clock ticks (10 ms)


def test_long_messages_are_read_sentence_by_sentence():
    assert all(len(text) >= 120 for text in KINDS["long"])
    assert all(len(text) < 120 for text in KINDS["short"])
