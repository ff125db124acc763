"""The embedded stack on free loopback ports: action server, Rasa server (SQLite store), demo
page and, optionally, the staff console; started the same way for the tests, the benchmarks and
the cluster's replicas (cluster.py)."""

from __future__ import annotations

import os
import secrets
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence

import requests

from clinic_assistant.evaluation.evaluate_model import latest_model
from clinic_assistant.settings import PROJECT_ROOT, Settings
from clinic_assistant.serving.threads import serving_environment
from clinic_assistant.staff_console.environment import console_command
from clinic_assistant.stack.processes import Process, free_port, start, wait_until_up


@dataclass
class Assistant:
    """A running Rasa server, usually with its action server and the demo clinic page."""

    url: str
    token: str
    tracker_db: Path
    demo_url: str
    processes: List[Process] = field(default_factory=list)
    #: The staff console and its database (when started with `with_console=True`).
    console_url: str = ""
    handoff_db_url: str = ""
    #: The environment the servers were started with, and the Rasa server's endpoints file
    #: (another replica started by `start_replica` shares them).
    env: Dict[str, str] = field(default_factory=dict, repr=False)
    endpoints: str = "endpoints.yml"

    def say(self, sender: str, text: Optional[str]) -> List[Dict[str, Any]]:
        """Send a message through the REST channel and return the bot's replies."""
        response = requests.post(
            f"{self.url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            timeout=60,
        )
        response.raise_for_status()
        return response.json()

    def parse(self, text: str) -> Dict[str, Any]:
        """NLU parse result through the HTTP API (needs the token)."""
        response = requests.post(
            f"{self.url}/model/parse", params={"token": self.token}, json={"text": text}, timeout=60
        )
        response.raise_for_status()
        return response.json()

    def tracker(self, sender: str) -> Dict[str, Any]:
        """The stored conversation (needs the token)."""
        response = requests.get(
            f"{self.url}/conversations/{sender}/tracker", params={"token": self.token}, timeout=30
        )
        response.raise_for_status()
        return response.json()

    def add_staff(self, username: str, name: str, password: str) -> None:
        """Create a console account with the real command."""
        subprocess.run(
            [sys.executable, "-m", "clinic_assistant.handoff", "--db", self.handoff_db_url,
             "add-staff", username, "--name", name, "--password-stdin"],
            input=password + "\n", text=True, check=True, capture_output=True,
            cwd=PROJECT_ROOT)

    def handoff_rows(self, sql: str, *params: Any) -> List[tuple]:
        """Rows of a query against the handoff database (a SQLite file)."""
        path = self.handoff_db_url[len("sqlite:///"):]
        with sqlite3.connect(path) as connection:
            return connection.execute(sql, params).fetchall()

    def sign_out_all_staff(self) -> None:
        """End every console session, so that no staff member counts as available."""
        self.handoff_rows("DELETE FROM staff_sessions")

    def stop(self) -> None:
        """Stop every process, newest first."""
        for process in reversed(self.processes):
            process.stop()



#: Rate limits no test or benchmark conversation reaches (their clients all share 127.0.0.1);
#: the limits have their own test (tests/e2e/test_rate_limit.py).
UNLIMITED_CHAT = {"CHAT_BURST": "100000", "CHAT_MESSAGES_PER_MINUTE": "1000000",
                  "ADDRESS_BURST": "100000", "ADDRESS_MESSAGES_PER_MINUTE": "1000000"}


def start_rasa(project_root: Path, env: Dict[str, str], port: int, cors: str | Sequence[str],
               endpoints: str, log: Path, host: str = "127.0.0.1") -> Process:
    """Start one Rasa server (the HTTP API on, its token from RASA_AUTH_TOKEN in `env`)."""
    origins = [cors] if isinstance(cors, str) else list(cors)
    return start(
        # The token reaches Rasa through RASA_AUTH_TOKEN, never the command line.
        [sys.executable, "-m", "clinic_assistant.serving.rasa_server",
         "--model", str(latest_model(project_root / "models")),
         "--endpoints", endpoints, "--credentials", "credentials.yml",
         "--interface", host, "--port", str(port),
         "--enable-api", "--cors", *origins],
        project_root, env, log,
    )


def start_action_server(project_root: Path, env: Dict[str, str], port: int,
                        log: Path) -> Process:
    """Start one action server (the project's `actions` package) on `port`, on loopback unless
    `env` names another interface in SANIC_HOST (rasa_sdk's own default is every interface)."""
    return start([sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)],
                 project_root, {"SANIC_HOST": "127.0.0.1", **env}, log)


def start_demo_page(project_root: Path, env: Dict[str, str], port: int, server_url: str,
                    log: Path) -> Process:
    """Start the demo clinic page, its widget talking to `server_url`."""
    return start([sys.executable, "-m", "clinic_assistant.web.demo_server", "--port", str(port),
                  "--server-url", server_url], project_root, env, log)


def start_console(project_root: Path, env: Dict[str, str], port: int, log: Path) -> Process:
    """Start the staff console in its own environment (.venv-console: current aiohttp, no
    Rasa)."""
    return start(console_command(port), project_root, env, log)


def start_replica(project_root: Path, first: Assistant, workdir: Path, *,
                  extra_env: Optional[Dict[str, str]] = None,
                  endpoints: Optional[str] = None) -> Assistant:
    """Start one more Rasa server next to `first`'s: the same action server, conversation and
    handoff files, token and allowed origin (its demo page), on its own port. Returns it as an
    Assistant whose only process is that Rasa server (its log: `workdir`/rasa.log)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**first.env, "RASA_URL": url, **(extra_env or {})}
    replica = Assistant(url, first.token, first.tracker_db, first.demo_url,
                        handoff_db_url=first.handoff_db_url, env=env,
                        endpoints=endpoints or first.endpoints)
    rasa = start_rasa(project_root, env, port, first.demo_url, replica.endpoints,
                      workdir / "rasa.log")
    replica.processes.append(rasa)
    try:
        wait_until_up(f"{url}/webhooks/rest/", rasa)
        wait_until_up(f"{url}/status?token={first.token}", rasa)
    except BaseException:
        replica.stop()
        raise
    return replica


@dataclass(frozen=True)
class StackPlan:
    """Where the embedded stack's processes listen and keep their files, and what they read."""

    action_port: int
    rasa_port: int
    demo_port: int
    #: None: no staff console.
    console_port: Optional[int]
    log_dir: Path
    tracker_db: Path
    handoff_db_url: str
    token: str
    cors_origins: Sequence[str]
    #: The environment every process gets (the plan's own values are added to it).
    env: Mapping[str, str]
    with_action_server: bool = True
    endpoints: str = "endpoints.yml"
    rasa_host: str = "127.0.0.1"


def embedded_plan(settings: Settings, env: Mapping[str, str],
                  project_root: Path = PROJECT_ROOT) -> StackPlan:
    """`make run`'s plan: the ports, files, token and origins of `settings` (read from .env,
    which scripts/env.sh loads); `env` is passed on to every process as it is."""
    return StackPlan(
        action_port=settings.action_port, rasa_port=settings.rasa_port,
        demo_port=settings.demo_port, console_port=settings.staff_console_port,
        log_dir=project_root / "var" / "log", tracker_db=settings.tracker_db,
        handoff_db_url=settings.handoff_db_url, token=settings.rasa_auth_token,
        cors_origins=list(settings.cors_origins), env=env, rasa_host=settings.rasa_host)


def start_stack(project_root: Path, plan: StackPlan) -> Assistant:
    """Start the action server (unless left out), the Rasa server, the demo page and the staff
    console (when it has a port), wait until each answers, and return them; stops what it
    started if one of them fails."""
    rasa_url = f"http://{plan.rasa_host}:{plan.rasa_port}"
    demo_url = f"http://127.0.0.1:{plan.demo_port}"
    plan.log_dir.mkdir(parents=True, exist_ok=True)
    env = serving_environment({
        **plan.env,
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{plan.action_port}/webhook",
        "TRACKER_DB": str(plan.tracker_db),
        "PYTHONPATH": str(project_root),
        "CORS_ORIGINS": " ".join(plan.cors_origins),
        "HANDOFF_DB_URL": plan.handoff_db_url,
        "RASA_AUTH_TOKEN": plan.token,
        "RASA_URL": rasa_url,
    })
    assistant = Assistant(rasa_url, plan.token, plan.tracker_db, demo_url,
                          handoff_db_url=plan.handoff_db_url, env=env, endpoints=plan.endpoints)
    try:
        if plan.with_action_server:
            actions = start_action_server(project_root, env, plan.action_port,
                                          plan.log_dir / "actions.log")
            assistant.processes.append(actions)
        rasa = start_rasa(project_root, env, plan.rasa_port, plan.cors_origins, plan.endpoints,
                          plan.log_dir / "rasa.log", host=plan.rasa_host)
        assistant.processes.append(rasa)
        demo = start_demo_page(project_root, env, plan.demo_port, rasa_url,
                               plan.log_dir / "demo.log")
        assistant.processes.append(demo)
        if plan.console_port is not None:
            assistant.console_url = f"http://127.0.0.1:{plan.console_port}"
            console = start_console(project_root, env, plan.console_port,
                                    plan.log_dir / "console.log")
            assistant.processes.append(console)
            wait_until_up(f"{assistant.console_url}/health", console)
        wait_until_up(demo_url, demo)
        if plan.with_action_server:
            wait_until_up(f"http://127.0.0.1:{plan.action_port}/health", assistant.processes[0])
        wait_until_up(f"{rasa_url}/webhooks/rest/", rasa)
        wait_until_up(f"{rasa_url}/status?token={plan.token}", rasa)
    except BaseException:  # SystemExit from latest_model too: stop what was started
        assistant.stop()
        raise
    return assistant


def start_assistant(
    project_root: Path, workdir: Path, *, with_action_server: bool = True,
    with_console: bool = False, content_dir: Optional[Path] = None,
    extra_env: Optional[Dict[str, str]] = None, endpoints: str = "endpoints.yml",
) -> Assistant:
    """The stack for a test or a benchmark: free ports, a fresh SQLite store and handoff
    database and the logs in `workdir`, a new token. `endpoints`: the Rasa server's endpoints
    file (relative to the project or absolute)."""
    demo_port = free_port()
    plan = StackPlan(
        action_port=free_port(), rasa_port=free_port(), demo_port=demo_port,
        console_port=free_port() if with_console else None, log_dir=workdir,
        tracker_db=workdir / "tracker.db", handoff_db_url=f"sqlite:///{workdir / 'handoff.db'}",
        token=secrets.token_hex(24), cors_origins=[f"http://127.0.0.1:{demo_port}"],
        env={**os.environ, "STAFF_WATCH_SECONDS": "0.5",
             **({"CLINIC_CONTENT_DIR": str(content_dir)} if content_dir else {}),
             **(extra_env or {})},
        with_action_server=with_action_server, endpoints=endpoints)
    return start_stack(project_root, plan)
