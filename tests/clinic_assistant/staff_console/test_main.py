"""`python -m clinic_assistant.staff_console`: a content file it cannot use stops it with the
file, the line and what to do, not a traceback."""

from __future__ import annotations

import subprocess
from pathlib import Path

from clinic_assistant.staff_console.environment import console_python
from tests.content_edits import repeat_key

ROOT = Path(__file__).resolve().parents[3]


def test_a_key_written_twice_in_handoff_yml_stops_the_console_with_file_and_line(
        project_copy: Path, tmp_path: Path) -> None:
    rules = project_copy / "content" / "handoff.yml"
    line = repeat_key(rules, "  claim_timeout_minutes: 3", "  claim_timeout_minutes: 30")
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "RASA_AUTH_TOKEN": "test-token",
           "CLINIC_CONTENT_DIR": str(project_copy / "content"),
           "HANDOFF_DB_URL": f"sqlite:///{tmp_path / 'handoff.db'}"}
    done = subprocess.run([str(console_python()), "-m", "clinic_assistant.staff_console",
                           "--port", "0"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert (f"staff console: {rules}, entry 'claim_timeout_minutes': appears twice (the second "
            f"time on line {line}). Each entry may appear only once: merge the two or rename "
            "one. Fix the file (make validate checks it), then start the console again."
            ) in done.stderr
