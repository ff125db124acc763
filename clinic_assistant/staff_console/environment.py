"""Where the staff console runs: its own virtualenv, `.venv-console`.

The console needs no Rasa, so scripts/setup.sh gives it an environment of its own from
requirements-console.txt (current aiohttp and SQLAlchemy), apart from the Rasa venv that Rasa 3.6
holds to aiohttp 3.9 (docs/security.md#dependencies-held-back-by-rasas-pins). Every launcher
(scripts/run.sh, clinic_assistant/stack/assistant.py and cluster.py, the benchmarks) starts it
with this interpreter.
"""

from __future__ import annotations

from pathlib import Path
from typing import List

from clinic_assistant.settings import PROJECT_ROOT

CONSOLE_VENV = PROJECT_ROOT / ".venv-console"
CONSOLE_REQUIREMENTS = PROJECT_ROOT / "requirements-console.txt"


def console_python() -> Path:
    """The console venv's interpreter; FileNotFoundError, saying what to run, if it is missing."""
    python = CONSOLE_VENV / "bin" / "python"
    if not python.exists():
        raise FileNotFoundError(
            f"{python} is missing: run scripts/setup.sh (make setup) to create the staff "
            "console's environment")
    return python


def console_command(port: int, host: str = "127.0.0.1") -> List[str]:
    """The command that starts the staff console on `host:port` in its own environment."""
    return [str(console_python()), "-m", "clinic_assistant.staff_console",
            "--host", host, "--port", str(port)]
