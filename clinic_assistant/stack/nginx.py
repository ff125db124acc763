"""nginx in front of the replicas, from deploy/nginx/cluster.conf.template (the file the
production note shows is the one that runs)."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Sequence

from clinic_assistant.settings import PROJECT_ROOT
from clinic_assistant.stack.processes import Process, start

TEMPLATE = PROJECT_ROOT / "deploy" / "nginx" / "cluster.conf.template"
PLACEHOLDER = re.compile(r"\{\{ ([a-z_]+) \}\}")


@dataclass(frozen=True)
class NginxPorts:
    """Where nginx listens and what it forwards to (all on loopback)."""

    public: int
    staff: int
    internal: int
    rasa: Sequence[int]
    actions: Sequence[int]
    #: One port per staff console instance.
    console: Sequence[int]
    demo: int


def render(ports: NginxPorts, prefix: Path, chat_per_minute: int, chat_burst: int,
           template: Path = TEMPLATE) -> str:
    """The configuration text; every placeholder must be known."""
    values: Dict[str, str] = {
        "prefix": str(prefix), "public_port": str(ports.public), "staff_port": str(ports.staff),
        "internal_port": str(ports.internal),
        "demo_port": str(ports.demo), "chat_per_minute": str(chat_per_minute),
        "chat_burst": str(chat_burst),
        "rasa_servers": "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;"
                                  for port in ports.rasa),
        "action_servers": "\n".join(f"        server 127.0.0.1:{port} max_fails=1 "
                                    "fail_timeout=5s;" for port in ports.actions),
        "console_servers": "\n".join(f"        server 127.0.0.1:{port} max_fails=1 "
                                     "fail_timeout=5s;" for port in ports.console),
    }

    def value(match: re.Match) -> str:
        try:
            return values[match.group(1)]
        except KeyError:
            raise ValueError(f"{template}: unknown placeholder {match.group(0)}") from None

    return PLACEHOLDER.sub(value, template.read_text(encoding="utf-8"))


def start_nginx(folder: Path, config_text: str) -> Process:
    """Write the configuration into `folder`, check it with `nginx -t`, and start nginx."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        raise FileNotFoundError("nginx is not installed: scripts/install_services.sh installs it")
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "nginx.conf"
    config.write_text(config_text)
    command = [binary, "-e", str(folder / "error.log"), "-p", str(folder), "-c", str(config)]
    checked = subprocess.run(command + ["-t"], capture_output=True, text=True)
    if checked.returncode != 0:
        raise RuntimeError(f"nginx refused {config}: {checked.stderr.strip()}")
    return start(command, folder, {}, folder / "nginx.out")
