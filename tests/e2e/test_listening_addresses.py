"""Every server the launcher starts for one assistant (Rasa, the action server, the demo page,
the staff console: what `make run` starts) listens on loopback only, read from the kernel's own
socket tables, not from the servers' settings."""

from __future__ import annotations

import os
from pathlib import Path
from typing import List, Set

import pytest

pytestmark = pytest.mark.e2e

#: State code of a listening socket in /proc/net/tcp*.
LISTEN = "0A"
LOOPBACK = {"0100007F",  # 127.0.0.1 in /proc/net/tcp (little-endian)
            "00000000000000000000000001000000"}  # ::1 in /proc/net/tcp6


def socket_inodes(pid: int) -> Set[str]:
    """Inodes of the sockets process `pid` holds open."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:["):-1])
    return inodes


def listening_addresses(pid: int) -> List[str]:
    """'address:port' (kernel hex) of every listening TCP socket process `pid` holds."""
    inodes = socket_inodes(pid)
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == LISTEN and fields[9] in inodes:
                found.append(fields[1])
    return found


def test_the_assistants_servers_listen_on_loopback_only(assistant):
    by_process = {process.log.name: listening_addresses(process.popen.pid)
                  for process in assistant.processes}
    # Each server listens somewhere (so the check below is not vacuous) ...
    assert all(by_process.values()), by_process
    # ... and only on loopback.
    assert {name: [a for a in addresses if a.split(":")[0] not in LOOPBACK]
            for name, addresses in by_process.items()} == {name: [] for name in by_process}
