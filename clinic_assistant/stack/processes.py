"""Start a server process with its output in a log file, find a free port, wait until it answers."""

from __future__ import annotations

import logging
import random
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Set, Tuple

#: How long a server may take to start (a Rasa server loads its model: 30-90 s on 2 cores).
STARTUP_SECONDS = 240
#: Where Linux keeps the range of local ports it gives outgoing connections.
EPHEMERAL_RANGE_FILE = Path("/proc/sys/net/ipv4/ip_local_port_range")
#: Linux's default range, when the file cannot be read.
DEFAULT_EPHEMERAL_PORTS = (32768, 60999)
#: Servers' ports are chosen from here up to the ephemeral range (above the well-known and
#: the usual registered service ports).
FIRST_SERVER_PORT = 20000
PORT_ATTEMPTS = 200

logger = logging.getLogger(__name__)
#: Ports this process has handed out: a cluster takes a dozen before any server binds one.
_given: Set[int] = set()


def ephemeral_ports(path: Path = EPHEMERAL_RANGE_FILE) -> Tuple[int, int]:
    """The range the kernel takes the local ports of outgoing connections from."""
    try:
        low, high = (int(field) for field in path.read_text().split())
        return low, high
    except (OSError, ValueError):
        return DEFAULT_EPHEMERAL_PORTS


def bindable(port: int) -> bool:
    """Whether a server could listen on `port` now, on every interface and on loopback."""
    for host in ("", "127.0.0.1"):
        with socket.socket() as sock:
            try:
                sock.bind((host, port))
            except OSError:
                return False
    return True


def _candidate_ports(pick: Callable[[int, int], int]) -> Iterator[int]:
    """Random ports below the ephemeral range, then (if none was free) ports from the kernel."""
    low, _high = ephemeral_ports()
    if low - 1 > FIRST_SERVER_PORT:
        for _attempt in range(PORT_ATTEMPTS):
            yield pick(FIRST_SERVER_PORT, low - 1)
    logger.warning("no free port below the ephemeral range (%s); asking the kernel for one", low)
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        yield port  # after the probe is closed, so that the port can be bound again


def free_port(pick: Callable[[int, int], int] = random.randint) -> int:
    """A TCP port nobody listens on right now, chosen below the kernel's ephemeral range.

    A port the kernel hands out (bind to port 0) comes from the range it also gives outgoing
    connections: under load (a benchmark's thousands of requests, PostgreSQL and Redis
    clients) one of them may hold it by the time the server binds it, and the server fails
    to start. Ports below that range are only ever taken by servers that ask for them, and
    this process never hands out the same port twice. `pick(a, b)` proposes a port in [a, b].
    """
    port = next(p for p in _candidate_ports(pick) if p not in _given and bindable(p))
    _given.add(port)
    return port


@dataclass
class Process:
    """A started server process and its log file."""

    popen: subprocess.Popen
    log: Path

    def log_tail(self, lines: int = 40) -> str:
        """The last lines of the log (for error messages)."""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def running(self) -> bool:
        """Whether the process is still alive."""
        return self.popen.poll() is None

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 20 s."""
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()


def start(command: List[str], cwd: Path, env: Dict[str, str], log: Path) -> Process:
    """Start a command with its output (stdout and stderr) going to a log file."""
    handle = log.open("w")
    popen = subprocess.Popen(command, cwd=cwd, env=env, stdout=handle, stderr=subprocess.STDOUT)
    return Process(popen, log)


def answers(url: str) -> bool:
    """True if `url` answers HTTP 200 right now."""
    try:
        with urllib.request.urlopen(url, timeout=2) as reply:
            return reply.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def wait_until_up(url: str, process: Process, seconds: float = STARTUP_SECONDS) -> None:
    """Poll `url` until it answers 200, failing early if the process died."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            raise RuntimeError(f"server exited while starting:\n{process.log_tail()}")
        if answers(url):
            return
        time.sleep(0.5)
    raise RuntimeError(f"server at {url} not up after {seconds} s:\n{process.log_tail()}")
