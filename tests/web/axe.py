"""axe-core in a real page: load the pinned copy (scripts/install_axe.sh) and run the WCAG 2.2
A/AA rules, with the violations in words a failing assertion can show."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any, Dict, List

from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
PIN_FILE = ROOT / "scripts" / "axe-core.pin"
INSTALL_SCRIPT = ROOT / "scripts" / "install_axe.sh"
#: WCAG 2.0, 2.1 and 2.2, levels A and AA (axe has no wcag22a tag: 2.2's A rules are 2.1's).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

Violation = Dict[str, Any]


def pinned_version(pin_file: Path = PIN_FILE) -> str:
    """The axe-core version named in scripts/axe-core.pin."""
    for line in pin_file.read_text(encoding="utf-8").splitlines():
        if line.startswith("AXE_CORE_VERSION="):
            return line.split("=", 1)[1].strip()
    raise ValueError(f"{pin_file} names no AXE_CORE_VERSION")


def axe_path() -> Path:
    """Where scripts/install_axe.sh puts the pinned axe.min.js."""
    return ROOT / "var" / "cache" / "axe-core" / pinned_version() / "axe.min.js"


def load_axe_source() -> str:
    """The pinned axe.min.js, fetched by scripts/install_axe.sh if it is not there yet."""
    path = axe_path()
    if not path.is_file():
        done = subprocess.run(["bash", str(INSTALL_SCRIPT)], cwd=ROOT, capture_output=True,
                              text=True, timeout=300)
        if done.returncode != 0 or not path.is_file():
            raise RuntimeError(f"axe-core is missing and scripts/install_axe.sh could not fetch "
                               f"it:\n{done.stdout}{done.stderr}")
    return path.read_text(encoding="utf-8")


def run_axe(page: Page, source: str) -> List[Violation]:
    """Inject axe into the page (once; through the DevTools protocol, so the page's
    Content-Security-Policy needs no exception) and return its WCAG A/AA violations."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(source)
    result = page.evaluate(
        "tags => axe.run(document, "
        "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_TAGS)
    return list(result["violations"])


def describe(violations: List[Violation], where: str) -> str:
    """One line per offending element: rule id, impact, CSS target and axe's summary."""
    lines = []
    for violation in violations:
        lines.append(f"{where}: {violation['id']} ({violation.get('impact')}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {node['target']}: {one_line(node.get('failureSummary') or '')}")
    return "\n".join(lines)


def one_line(summary: str) -> str:
    """Axe's failure summary ("Fix any of the following:" and one check a line) on one line,
    the checks separated by semicolons."""
    parts: List[str] = []
    for line in (line.strip() for line in summary.splitlines()):
        if not line:
            continue
        if parts and not parts[-1].endswith(":"):
            parts[-1] += ";"
        parts.append(line)
    return " ".join(parts)
