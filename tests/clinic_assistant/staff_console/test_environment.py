"""The console's own environment (.venv-console): no Rasa in its import graph, exactly the locked
versions installed, and a current aiohttp with its C parser.

Like every test in this folder it runs in .venv-console (scripts/test.sh), where Rasa is not
installed: a module the console imports that needs Rasa fails here.
"""

from __future__ import annotations

import json
import re
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Dict, Tuple

from clinic_assistant.staff_console.environment import CONSOLE_REQUIREMENTS, console_python

ROOT = Path(__file__).resolve().parents[3]
#: Top-level modules of the Rasa side that must never be loaded by the console.
RASA_SIDE = ("rasa", "rasa_sdk", "sanic", "sanic_routing", "socketio", "engineio",
             "tensorflow", "spacy", "websockets")
#: The newest "fixed in" version among the aiohttp server advisories that docs/security.md
#: counts as closed by the console's environment.
AIOHTTP_FLOOR = (3, 14, 5)
#: What `python -m venv` puts into every environment; not part of the lock.
VENV_SEED = {"pip", "setuptools", "wheel"}

IMPORT_GRAPH = """
import json, sys, tempfile
from pathlib import Path
import clinic_assistant.staff_console.__main__
from clinic_assistant.staff_console.app import create_app
from clinic_assistant.staff_console.settings import ConsoleSettings
with tempfile.TemporaryDirectory() as folder:
    create_app(ConsoleSettings(rasa_url="http://127.0.0.1:9", rasa_token="t",
                               database_url=f"sqlite:///{folder}/handoff.db",
                               content_dir=Path("content")))
print(json.dumps(sorted(sys.modules)))
"""


def locked() -> Dict[str, str]:
    """requirements-console.txt as {normalised name: version}."""
    pins = {}
    for line in CONSOLE_REQUIREMENTS.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[normalised(name)] = version.strip()
    return pins


def normalised(name: str) -> str:
    """A distribution name as PEP 503 compares it."""
    return re.sub(r"[-_.]+", "-", name).lower()


def version_tuple(version: str) -> Tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version)[:3])


def test_the_console_loads_nothing_from_the_rasa_side():
    """Import every console module and build the app, in a fresh interpreter of the venv."""
    done = subprocess.run([str(console_python()), "-c", IMPORT_GRAPH], cwd=ROOT,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, (
        "the console's import graph needs a module that is not in .venv-console (Rasa?); "
        f"split the import so the console does not load it:\n{done.stderr[-3000:]}")
    modules = json.loads(done.stdout.strip().splitlines()[-1])
    loaded = sorted(m for m in modules if m.split(".")[0] in RASA_SIDE)
    assert loaded == []
    # The check sees what it should: the console's own modules and aiohttp are there.
    assert "clinic_assistant.staff_console.app" in modules and "aiohttp.web" in modules


def test_the_environment_holds_exactly_the_locked_versions():
    installed = {normalised(d.metadata["Name"]): d.version for d in metadata.distributions()}
    for name in VENV_SEED:
        installed.pop(name, None)
    assert installed == locked()


def test_aiohttp_is_current_and_parses_with_its_c_extension():
    import aiohttp
    from aiohttp import http_parser

    assert aiohttp.__version__ == locked()["aiohttp"]
    assert version_tuple(aiohttp.__version__) >= AIOHTTP_FLOOR
    # docs/security.md counts on the C parser (the pure-Python one had the smuggling bugs).
    assert http_parser.HttpRequestParser is getattr(http_parser, "HttpRequestParserC", None)

