"""A private Redis server: Debian's redis-server on a loopback port, with a password kept in a
config file (mode 0600, never on a command line), in its own folder.

Used by the cluster launcher (locks and socket.io messages, which python-socketio pickles: Redis
must stay private) and by the tests.
"""

from __future__ import annotations

import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from clinic_assistant.stack.processes import Process, free_port, start


@dataclass
class RedisServer:
    """A running redis-server and how to reach it."""

    port: int
    password: str
    process: Process
    folder: Path

    def client(self, db: int = 0) -> Any:  # redis.Redis
        """A client of database `db`."""
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, password=self.password, db=db)

    def stop(self) -> None:
        """Stop the server."""
        self.process.stop()


def start_redis(folder: Path, port: Optional[int] = None,
                password: Optional[str] = None) -> RedisServer:
    """Start redis-server in `folder` (no persistence: locks and messages are short-lived)."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise FileNotFoundError("redis-server is not installed: scripts/install_services.sh "
                                "installs it")
    folder.mkdir(parents=True, exist_ok=True)
    port, password = port or free_port(), password or secrets.token_hex(16)
    config = folder / "redis.conf"
    config.touch(mode=0o600)
    config.chmod(0o600)
    config.write_text(f"bind 127.0.0.1\nport {port}\nrequirepass {password}\nsave \"\"\n"
                      f"appendonly no\ndir {folder}\nprotected-mode yes\n")
    process = start([binary, str(config)], folder, {}, folder / "redis.log")
    server = RedisServer(port, password, process, folder)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if not process.running():
            raise RuntimeError(f"redis-server exited:\n{process.log_tail()}")
        try:
            if server.client().ping():
                return server
        except Exception:  # not listening yet
            time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"redis-server not up after 20 s:\n{process.log_tail()}")
