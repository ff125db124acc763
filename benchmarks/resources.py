"""Memory, model size, cold start and training times."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timed(action: Callable[[], object]) -> float:
    """Seconds an action takes."""
    start = time.monotonic()
    action()
    return time.monotonic() - start


def retrain_seconds(project_root: Path, env: Dict[str, str]) -> Dict[str, float]:
    """Time `rasa train` when nothing changed (it skips training) and `rasa train --dry-run`."""

    def run(args: List[str]) -> None:
        subprocess.run([sys.executable, "-m", "rasa", "train", "--out", "models", *args],
                       cwd=project_root, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)

    return {"dry-run check": timed(lambda: run(["--dry-run"])),
            "no-change retrain": timed(lambda: run([]))}


def stock_assistant(work: Path, env: Dict[str, str], log: Path) -> Path:
    """A stock `rasa init` assistant, created and trained; returns its folder."""
    folder = (work / "stock").resolve()
    if not list(folder.glob("models/*.tar.gz")):
        folder.mkdir(parents=True, exist_ok=True)
        with log.open("w") as handle:
            subprocess.run([sys.executable, "-m", "rasa", "init", "--no-prompt", "--init-dir",
                            str(folder)], cwd=work, env=env, stdout=handle,
                           stderr=subprocess.STDOUT, check=True)
    return folder
