"""The running staff console is the one in its own environment (.venv-console, current aiohttp),
not the Rasa venv: checked on the real process, through the files it has mapped (Linux)."""

from __future__ import annotations

from pathlib import Path
from typing import List

import pytest

from clinic_assistant.staff_console.environment import CONSOLE_VENV
from tests.conftest import PROJECT_ROOT
from tests.servers import Process

pytestmark = pytest.mark.e2e
RASA_VENV = PROJECT_ROOT / ".venv"


def process_running(assistant, module: str) -> Process:
    """The started process whose command runs `python -m <module>`."""
    (process,) = [p for p in assistant.processes if module in p.popen.args]
    return process


def mapped_files(process: Process) -> List[Path]:
    """Files the process has mapped into memory (its interpreter, extension modules ...)."""
    maps = Path(f"/proc/{process.popen.pid}/maps")
    if not maps.exists():
        pytest.skip("needs Linux's /proc")
    files = {line.split(maxsplit=5)[5].strip() for line in maps.read_text().splitlines()
             if len(line.split(maxsplit=5)) == 6}
    return [Path(name) for name in files if name.startswith("/")]


def under(files: List[Path], folder: Path) -> List[Path]:
    root = folder.resolve()
    return [f for f in files if f == root or root in f.parents]


def test_the_console_runs_on_the_console_environments_aiohttp(assistant):
    console = mapped_files(process_running(assistant, "clinic_assistant.staff_console"))
    ours = under(console, CONSOLE_VENV)
    # aiohttp's C HTTP parser, loaded from .venv-console (requirements-console.txt's aiohttp).
    assert any("aiohttp" in f.parts and f.name.startswith("_http_parser") for f in ours), ours
    assert under(console, RASA_VENV) == []


def test_the_rasa_server_still_runs_in_the_rasa_environment(assistant):
    """The same check tells the two apart: Rasa's extension modules come from .venv."""
    rasa = mapped_files(process_running(assistant, "clinic_assistant.serving.rasa_server"))
    assert under(rasa, RASA_VENV) != []
    assert under(rasa, CONSOLE_VENV) == []
