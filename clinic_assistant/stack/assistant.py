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
from typing import Any, Dict, List, Optional

import requests

from clinic_assistant.evaluation.evaluate_model import latest_model
from clinic_assistant.settings import PROJECT_ROOT
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


def start_rasa(project_root: Path, env: Dict[str, str], port: int, cors: str, endpoints: str,
               log: Path) -> Process:
    """Start one Rasa server (the HTTP API on, its token from RASA_AUTH_TOKEN in `env`)."""
    return start(
        # The token reaches Rasa through RASA_AUTH_TOKEN, never the command line.
        [sys.executable, "-m", "clinic_assistant.serving.rasa_server",
         "--model", str(latest_model(project_root / "models")),
         "--endpoints", endpoints, "--credentials", "credentials.yml",
         "--interface", "127.0.0.1", "--port", str(port),
         "--enable-api", "--cors", cors],
        project_root, env, log,
    )


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


def start_assistant(
    project_root: Path, workdir: Path, *, with_action_server: bool = True,
    with_console: bool = False, content_dir: Optional[Path] = None,
    extra_env: Optional[Dict[str, str]] = None, endpoints: str = "endpoints.yml",
) -> Assistant:
    """Start the action server (optional), the Rasa server with a fresh SQLite store, the demo
    page and (optional) the staff console with a fresh handoff database. `endpoints`: the Rasa
    server's endpoints file (relative to the project or absolute)."""
    action_port, rasa_port, demo_port = free_port(), free_port(), free_port()
    demo_url = f"http://127.0.0.1:{demo_port}"
    token = secrets.token_hex(24)
    tracker_db = workdir / "tracker.db"
    handoff_db_url = f"sqlite:///{workdir / 'handoff.db'}"
    env = serving_environment({
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
        "TRACKER_DB": str(tracker_db),
        "PYTHONPATH": str(project_root),
        "CORS_ORIGINS": demo_url,
        "HANDOFF_DB_URL": handoff_db_url,
        "RASA_AUTH_TOKEN": token,
        "RASA_URL": f"http://127.0.0.1:{rasa_port}",
        "STAFF_WATCH_SECONDS": "0.5",
        **({"CLINIC_CONTENT_DIR": str(content_dir)} if content_dir else {}),
        **(extra_env or {}),
    })
    assistant = Assistant(f"http://127.0.0.1:{rasa_port}", token, tracker_db, demo_url,
                          handoff_db_url=handoff_db_url, env=env, endpoints=endpoints)
    try:
        if with_action_server:
            actions = start(
                [sys.executable, "-m", "rasa_sdk", "--actions", "actions",
                 "--port", str(action_port)],
                project_root, env, workdir / "actions.log",
            )
            assistant.processes.append(actions)
        rasa = start_rasa(project_root, env, rasa_port, demo_url, endpoints, workdir / "rasa.log")
        assistant.processes.append(rasa)
        demo = start(
            [sys.executable, "-m", "clinic_assistant.web.demo_server", "--port", str(demo_port),
             "--server-url", assistant.url],
            project_root, env, workdir / "demo.log",
        )
        assistant.processes.append(demo)
        if with_console:
            console_port = free_port()
            assistant.console_url = f"http://127.0.0.1:{console_port}"
            # In its own environment (.venv-console: current aiohttp, no Rasa), as make run does.
            console = start(console_command(console_port), project_root, env,
                            workdir / "console.log")
            assistant.processes.append(console)
            wait_until_up(f"{assistant.console_url}/health", console)
        wait_until_up(demo_url, demo)
        if with_action_server:
            wait_until_up(f"http://127.0.0.1:{action_port}/health", assistant.processes[0])
        wait_until_up(f"{assistant.url}/webhooks/rest/", rasa)
        wait_until_up(f"{assistant.url}/status?token={token}", rasa)
    except BaseException:  # SystemExit from latest_model too: stop what was started
        assistant.stop()
        raise
    return assistant
