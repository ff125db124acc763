"""Several Rasa servers and action servers behind nginx, with PostgreSQL and Redis, on one machine.

`python -m clinic_assistant.stack cluster` (make run-cluster) and the cluster tests start it the
same way. Every process listens on loopback only. Conversations and handoffs live in PostgreSQL,
locks (and socket.io's messages between servers) in Redis, both with passwords from the
environment (.env), which reach the servers through their environment, never a command line.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Mapping, Optional

from clinic_assistant.serving.threads import serving_environment
from clinic_assistant.settings import PROJECT_ROOT, read_settings
from clinic_assistant.stack.nginx import NginxPorts, render, start_nginx
from clinic_assistant.stack.postgres_server import USER, PostgresServer, start_postgres
from clinic_assistant.stack.assistant import (
    start_action_server, start_console, start_demo_page, start_rasa)
from clinic_assistant.stack.processes import Process, free_port, wait_until_up
from clinic_assistant.stack.redis_server import RedisServer, start_redis

DATABASE = "clinic"
#: Connections each Rasa server keeps to PostgreSQL (Rasa's default, 50 + 100 overflow, times
#: two servers would pass PostgreSQL's max_connections).
POOL_SIZE, POOL_OVERFLOW = 5, 5


@dataclass
class Replica:
    """One Rasa server and one action server."""

    rasa_port: int
    action_port: int
    rasa: Optional[Process] = None
    actions: Optional[Process] = None

    @property
    def url(self) -> str:
        """The replica's Rasa server."""
        return f"http://127.0.0.1:{self.rasa_port}"


@dataclass
class Cluster:
    """A running cluster and how to reach it."""

    folder: Path
    token: str
    ports: NginxPorts
    postgres: PostgresServer
    redis: RedisServer
    replicas: List[Replica]
    env: Dict[str, str]
    processes: List[Process] = field(default_factory=list)
    #: The staff console instances, in the order of `ports.console`.
    consoles: List[Process] = field(default_factory=list)

    @property
    def public_url(self) -> str:
        """The chat (REST, socket.io) and the demo page."""
        return f"http://127.0.0.1:{self.ports.public}"

    @property
    def staff_url(self) -> str:
        """The staff console."""
        return f"http://127.0.0.1:{self.ports.staff}"

    def console_url(self, instance: int) -> str:
        """One console instance directly, without nginx (for tests)."""
        return f"http://127.0.0.1:{self.ports.console[instance]}"

    @property
    def internal_url(self) -> str:
        """Rasa's HTTP API (any replica) for the console and the commands."""
        return f"http://127.0.0.1:{self.ports.internal}"

    def start_rasa(self, replica: Replica) -> Process:
        """(Re)start a replica's Rasa server and wait until it answers."""
        log = self.folder / f"rasa-{replica.rasa_port}.log"
        replica.rasa = start_rasa(PROJECT_ROOT, self.env, replica.rasa_port, self.public_url,
                                  "endpoints-cluster.yml", log)
        self.processes.append(replica.rasa)
        wait_until_up(f"{replica.url}/webhooks/rest/", replica.rasa)
        return replica.rasa

    def start_actions(self, replica: Replica) -> Process:
        """(Re)start a replica's action server and wait until it answers."""
        log = self.folder / f"actions-{replica.action_port}.log"
        replica.actions = start_action_server(PROJECT_ROOT, self.env, replica.action_port, log)
        self.processes.append(replica.actions)
        wait_until_up(f"http://127.0.0.1:{replica.action_port}/health", replica.actions)
        return replica.actions

    def restart_redis(self) -> None:
        """Stop Redis and start it again on the same port with the same password (empty:
        it keeps no data)."""
        self.redis.stop()
        self.redis = start_redis(self.redis.folder, port=self.redis.port,
                                 password=self.redis.password)

    def restart_postgres(self) -> None:
        """Stop PostgreSQL (fast shutdown: open connections are cut) and start it again."""
        self.postgres.stop()
        self.postgres = start_postgres(self.postgres.folder, port=self.postgres.port,
                                       password=self.postgres.password,
                                       database=self.postgres.database,
                                       durable=self.postgres.durable)

    def stop(self) -> None:
        """Stop every process, newest first, then Redis and PostgreSQL."""
        for process in reversed(self.processes):
            process.stop()
        self.redis.stop()
        self.postgres.stop()


def cluster_environment(base: Mapping[str, str], postgres: PostgresServer, redis: RedisServer,
                        ports: NginxPorts, token: str) -> Dict[str, str]:
    """What every process of the cluster reads (settings.py and endpoints-cluster.yml)."""
    public = f"http://127.0.0.1:{ports.public}"
    internal = f"http://127.0.0.1:{ports.internal}"
    return serving_environment({
        **base,
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "PYTHONPATH": str(PROJECT_ROOT),
        "ACTION_ENDPOINT_URL": f"{internal}/webhook",
        "POSTGRES_HOST": "127.0.0.1", "POSTGRES_PORT": str(postgres.port),
        "POSTGRES_DB": postgres.database, "POSTGRES_USER": USER,
        "POSTGRES_PASSWORD": postgres.password,
        "HANDOFF_DB_URL": postgres.url,
        "REDIS_HOST": "127.0.0.1", "REDIS_PORT": str(redis.port),
        "REDIS_PASSWORD": redis.password,
        "SQL_POOL_SIZE": str(POOL_SIZE), "SQL_MAX_OVERFLOW": str(POOL_OVERFLOW),
        # Behind nginx: the client's address is the one nginx puts in X-Forwarded-For.
        "SANIC_PROXIES_COUNT": "1",
        # A 64 KB message plus framing (Sanic's default is 1 MiB).
        "SANIC_WEBSOCKET_MAX_SIZE": "131072",
        "CORS_ORIGINS": public,
        "RASA_AUTH_TOKEN": token,
        "RASA_URL": internal,
        "STAFF_CONSOLE_URL": f"http://127.0.0.1:{ports.staff}",
        # The consoles sit behind nginx, which sets X-Forwarded-For to the client's address:
        # sign-in throttling per address then sees each staff member's own address.
        "STAFF_TRUSTED_PROXIES": "127.0.0.1",
    })


def start_cluster(folder: Path, replicas: int = 2, *, consoles: int = 2,
                  base_env: Optional[Mapping[str, str]] = None,
                  postgres_password: Optional[str] = None, redis_password: Optional[str] = None,
                  durable: bool = True, public_port: Optional[int] = None,
                  staff_port: Optional[int] = None,
                  internal_port: Optional[int] = None) -> Cluster:
    """Start PostgreSQL, Redis, `replicas` action and Rasa servers, `consoles` staff console
    instances, the demo page and nginx, in that order; stops what it started if any of them
    fails."""
    folder.mkdir(parents=True, exist_ok=True)
    # The `postgres` user must be able to pass through to its own folder (no reading).
    folder.chmod(folder.stat().st_mode | 0o111)
    base = dict(base_env if base_env is not None else os.environ)
    postgres = start_postgres(folder / "postgresql", password=postgres_password,
                              database=DATABASE, durable=durable)
    try:
        redis = start_redis(folder / "redis", password=redis_password)
    except BaseException:
        postgres.stop()
        raise
    members = [Replica(free_port(), free_port()) for _ in range(replicas)]
    ports = NginxPorts(public=public_port or free_port(), staff=staff_port or free_port(),
                       internal=internal_port or free_port(),
                       rasa=[r.rasa_port for r in members],
                       actions=[r.action_port for r in members],
                       console=[free_port() for _ in range(consoles)], demo=free_port())
    token = base.get("RASA_AUTH_TOKEN") or secrets.token_hex(24)
    cluster = Cluster(folder, token, ports, postgres, redis, members,
                      cluster_environment(base, postgres, redis, ports, token))
    try:
        # nginx's per-address limit is the servers' own, from the environment they get.
        limits = read_settings(cluster.env)
        cluster.processes.append(start_nginx(folder / "nginx", render(
            ports, folder / "nginx", chat_per_minute=int(limits.address_messages_per_minute),
            chat_burst=limits.address_burst)))
        for member in members:
            cluster.start_actions(member)
        for member in members:
            cluster.start_rasa(member)
        demo = start_demo_page(PROJECT_ROOT, cluster.env, ports.demo, cluster.public_url,
                               folder / "demo.log")
        cluster.processes.append(demo)
        for number, port in enumerate(ports.console, start=1):
            console = start_console(PROJECT_ROOT, cluster.env, port,
                                    folder / f"console-{number}.log")
            cluster.processes.append(console)
            cluster.consoles.append(console)
        for number, console in enumerate(cluster.consoles):
            wait_until_up(f"{cluster.console_url(number)}/health", console)
        wait_until_up(f"{cluster.staff_url}/health", cluster.consoles[0])
        wait_until_up(f"{cluster.public_url}/", demo)
    except BaseException:
        cluster.stop()
        raise
    return cluster
