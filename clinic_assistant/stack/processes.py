"""Start a server process with its output in a log file, find a free port, wait until it answers."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List

#: How long a server may take to start (a Rasa server loads its model: 30-90 s on 2 cores).
STARTUP_SECONDS = 240


def free_port() -> int:
    """A TCP port nobody listens on right now (on loopback)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
