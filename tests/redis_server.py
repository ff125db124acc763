"""A private Redis server for tests: Debian's redis-server on a free loopback port, with a
generated password in a config file (never on a command line), no persistence, its own folder."""

from __future__ import annotations

import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.servers import Process, free_port, start


@dataclass
class RedisServer:
    """A running redis-server and how to reach it."""

    port: int
    password: str
    process: Process

    def client(self, db: int = 0):  # -> redis.Redis
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, password=self.password, db=db)

    def stop(self) -> None:
        self.process.stop()


def start_redis(folder: Path) -> RedisServer:
    """Start redis-server in `folder`; skips the test if Debian's redis-server is missing
    (scripts/test.sh installs it)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (scripts/install_debian.sh installs it)")
    port, password = free_port(), secrets.token_hex(16)
    config = folder / "redis.conf"
    config.write_text(f"bind 127.0.0.1\nport {port}\nrequirepass {password}\nsave \"\"\n"
                      f"appendonly no\ndir {folder}\nprotected-mode yes\n")
    config.chmod(0o600)
    process = start([binary, str(config)], folder, {}, folder / "redis.log")
    server = RedisServer(port, password, process)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            raise RuntimeError(f"redis-server exited:\n{process.log_tail()}")
        try:
            if server.client().ping():
                return server
        except Exception:  # not listening yet
            time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"redis-server not up after 20 s:\n{process.log_tail()}")
