"""A private PostgreSQL server: Debian's PostgreSQL binaries, a cluster in a folder owned by the
`postgres` system user, listening on a loopback port only, password (scram-sha-256)
authentication with the password kept in files (mode 0600), never on a command line.

Used by the cluster launcher (conversations and handoffs; the folder is kept between runs) and
by the tests (a temporary folder, `fsync` off).
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, List, Optional

from clinic_assistant.stack.processes import free_port

USER = "clinic"
TEST_DATABASE = "clinic_test"


def _binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise FileNotFoundError("PostgreSQL is not installed (scripts/install_services.sh "
                                "installs it)")
    return Path(found[-1]).parent


def _as_postgres(command: List[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run a PostgreSQL tool as the `postgres` user when we are root (initdb refuses root)."""
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        tool = command[command.index("--") + 1] if "--" in command else command[0]
        raise RuntimeError(f"{Path(tool).name} failed: "
                           f"{done.stderr.strip() or done.stdout.strip()}")
    return done


@dataclass
class PostgresServer:
    """A running private PostgreSQL and the SQLAlchemy URL of its test database."""

    folder: Path
    port: int
    password: str
    database: str = TEST_DATABASE
    durable: bool = False

    @property
    def url(self) -> str:
        """SQLAlchemy URL of the database (holds the password: never log it)."""
        return f"postgresql://{USER}:{self.password}@127.0.0.1:{self.port}/{self.database}"

    def stop(self) -> None:
        """Stop the server (fast: open connections are cut)."""
        _as_postgres([str(_binaries() / "pg_ctl"), "-D", str(self.folder / "data"), "-m",
                      "fast", "-w", "stop"])


def start_postgres(folder: Path, port: Optional[int] = None, password: Optional[str] = None,
                   database: str = TEST_DATABASE, durable: bool = False) -> PostgresServer:
    """Start PostgreSQL with its data in `folder`/data (initdb the first time) on a loopback
    port, and create `database` if missing. `durable=False` turns fsync off (tests only)."""
    binaries = _binaries()
    folder.mkdir(parents=True, exist_ok=True)
    port, password = port or free_port(), password or secrets.token_hex(16)
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    if not (data / "PG_VERSION").exists():
        password_file = folder / "password"
        password_file.write_text(password + "\n")
        password_file.chmod(0o600)
        if os.geteuid() == 0:
            shutil.chown(password_file, "postgres", "postgres")
        try:
            _as_postgres([str(binaries / "initdb"), "-D", str(data), "-U", USER,
                          "--auth=scram-sha-256", f"--pwfile={password_file}", "-E", "UTF8",
                          "--locale=C.UTF-8"])
        finally:
            password_file.unlink()
    settings = data / "clinic.conf"
    settings.write_text(f"listen_addresses = '127.0.0.1'\nport = {port}\n"
                        f"unix_socket_directories = '{folder}'\n"
                        f"fsync = {'on' if durable else 'off'}\nmax_connections = 200\n")
    conf = data / "postgresql.conf"
    if "include_if_exists = 'clinic.conf'" not in conf.read_text():
        with conf.open("a") as handle:
            handle.write("include_if_exists = 'clinic.conf'\n")
    if os.geteuid() == 0:
        shutil.chown(settings, "postgres", "postgres")
    _as_postgres([str(binaries / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"),
                  "-w", "-t", "60", "start"])
    server = PostgresServer(folder, port, password, database, durable)
    environment = {**os.environ, "PGPASSFILE": str(_pgpass(folder, port, password))}
    psql = [str(binaries / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", USER, "-d",
            "postgres", "-v", "ON_ERROR_STOP=1", "-tA", "-c"]
    deadline = time.monotonic() + 30
    while True:
        try:
            exists = subprocess.run(psql + [f"SELECT 1 FROM pg_database WHERE datname = "
                                            f"'{database}'"], check=True, capture_output=True,
                                    text=True, env=environment).stdout.strip()
            if exists != "1":
                subprocess.run(psql + [f"CREATE DATABASE {database}"], check=True,
                               capture_output=True, text=True, env=environment)
            return server
        except subprocess.CalledProcessError as error:
            if time.monotonic() > deadline:
                server.stop()
                raise RuntimeError(f"PostgreSQL did not accept the role: {error.stderr}")
            time.sleep(0.3)


def _pgpass(folder: Path, port: int, password: str) -> Path:
    """A libpq password file, so psql needs no password on its command line."""
    path = folder / "pgpass"
    path.write_text(f"127.0.0.1:{port}:*:{USER}:{password}\n")
    path.chmod(0o600)
    return path
