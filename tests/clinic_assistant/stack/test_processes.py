"""Free ports for the servers: below the kernel's ephemeral range, never one in use."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Callable, List

from clinic_assistant.stack import processes
from clinic_assistant.stack.processes import (FIRST_SERVER_PORT, bindable, ephemeral_ports,
                                              free_port)


def scripted(ports: List[int]) -> Callable[[int, int], int]:
    """A `pick` that proposes the given ports in turn."""
    proposals = iter(ports)
    return lambda _a, _b: next(proposals)


def test_free_ports_come_from_below_the_range_of_outgoing_connections():
    low, _high = ephemeral_ports()
    ports = {free_port() for _ in range(20)}
    assert all(FIRST_SERVER_PORT <= port < low for port in ports)
    assert all(bindable(port) for port in ports)


def candidates(first: int) -> List[int]:
    """`first`, then every server port in turn."""
    low, _high = ephemeral_ports()
    return [first, *range(FIRST_SERVER_PORT, low)]


def test_a_port_someone_listens_on_is_skipped():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        assert not bindable(busy)
        port = free_port(scripted(candidates(busy)))
        assert port != busy and bindable(port)


def test_a_port_already_handed_out_is_not_handed_out_again():
    given = free_port()
    assert bindable(given)  # nobody listens on it yet, as before a cluster's servers start
    assert free_port(scripted(candidates(given))) != given


def test_the_range_is_read_from_the_kernels_file_or_defaults(tmp_path: Path):
    good = tmp_path / "range"
    good.write_text("40000\t50000\n")
    assert ephemeral_ports(good) == (40000, 50000)
    assert ephemeral_ports(tmp_path / "missing") == (32768, 60999)


def test_without_room_below_the_range_the_kernel_gives_distinct_bindable_ports(monkeypatch):
    monkeypatch.setattr(processes, "ephemeral_ports", lambda: (FIRST_SERVER_PORT, 60999))
    ports = [free_port() for _ in range(5)]
    assert len(set(ports)) == 5
    assert all(bindable(port) for port in ports)
