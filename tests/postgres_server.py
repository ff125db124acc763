"""A private PostgreSQL server for tests: Debian's PostgreSQL binaries, a fresh cluster in a
temporary folder owned by the `postgres` system user, listening on a free loopback port only,
password (scram-sha-256) authentication with a generated password kept in files, never on a
command line."""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import List

from tests.servers import free_port

USER = "clinic"
DATABASE = "clinic_test"


def _binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise FileNotFoundError("PostgreSQL is not installed (scripts/install_debian.sh "
                                "pg_ctlcluster:postgresql installs it)")
    return Path(found[-1]).parent


def _as_postgres(command: List[str], **kwargs) -> subprocess.CompletedProcess:
    """Run a PostgreSQL tool as the `postgres` user when we are root (initdb refuses root)."""
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        raise RuntimeError(f"{Path(command[-len(command)]).name} ... failed: "
                           f"{done.stderr.strip() or done.stdout.strip()}")
    return done


@dataclass
class PostgresServer:
    """A running private PostgreSQL and the SQLAlchemy URL of its test database."""

    folder: Path
    port: int
    password: str

    @property
    def url(self) -> str:
        return f"postgresql://{USER}:{self.password}@127.0.0.1:{self.port}/{DATABASE}"

    def stop(self) -> None:
        _as_postgres([str(_binaries() / "pg_ctl"), "-D", str(self.folder / "data"), "-m",
                      "fast", "-w", "stop"])


def start_postgres(folder: Path) -> PostgresServer:
    """initdb, start on a free port (loopback only), create the test role and database."""
    binaries = _binaries()
    folder.mkdir(parents=True, exist_ok=True)
    port, password = free_port(), secrets.token_hex(16)
    password_file = folder / "password"
    password_file.write_text(password + "\n")
    password_file.chmod(0o600)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        shutil.chown(password_file, "postgres", "postgres")
    data = folder / "data"
    _as_postgres([str(binaries / "initdb"), "-D", str(data), "-U", USER, "--auth=scram-sha-256",
                  f"--pwfile={password_file}", "-E", "UTF8", "--locale=C.UTF-8"])
    with (data / "postgresql.conf").open("a") as conf:
        conf.write(f"listen_addresses = '127.0.0.1'\nport = {port}\n"
                   f"unix_socket_directories = '{folder}'\nfsync = off\n"
                   "max_connections = 200\n")
    _as_postgres([str(binaries / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"),
                  "-w", "-t", "60", "start"])
    server = PostgresServer(folder, port, password)
    environment = {**os.environ, "PGPASSFILE": str(_pgpass(folder, port, password))}
    deadline = time.monotonic() + 30
    while True:
        try:
            subprocess.run([str(binaries / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", USER,
                            "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c",
                            f"CREATE DATABASE {DATABASE}"],
                           check=True, capture_output=True, text=True, env=environment)
            return server
        except subprocess.CalledProcessError as error:
            if time.monotonic() > deadline:
                server.stop()
                raise RuntimeError(f"PostgreSQL did not accept the test role: {error.stderr}")
            time.sleep(0.3)


def _pgpass(folder: Path, port: int, password: str) -> Path:
    """A libpq password file, so psql needs no password on its command line."""
    path = folder / "pgpass"
    path.write_text(f"127.0.0.1:{port}:*:{USER}:{password}\n")
    path.chmod(0o600)
    return path
