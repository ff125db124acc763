"""The README's layout section matches the tree: every path it names exists, and every module
of actions/ and clinic_assistant/ and every top-level file and folder in git is named."""

from __future__ import annotations

import re
import subprocess
from typing import Dict, List

import pytest

ENTRY = re.compile(r"^( {0,2})(\S+(?:, \S+)*)(?:\s{2,}|$)")


def layout_block(readme: str) -> List[str]:
    """The lines of the code block under '## Layout'."""
    section = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    return section.split("```", 2)[1].strip("\n").splitlines()


def layout_entries(lines: List[str]) -> Dict[str, List[str]]:
    """Top-level names -> the names listed under them (two spaces in)."""
    entries: Dict[str, List[str]] = {}
    parent = ""
    for line in lines:
        match = ENTRY.match(line)
        if not match or line.startswith("   "):
            continue  # a continued description
        names = [name.rstrip(",") for name in match.group(2).split(", ")]
        if match.group(1):
            entries.setdefault(parent, []).extend(names)
        else:
            for name in names:
                entries[name] = []
            parent = names[0]
    return entries


@pytest.fixture(scope="module")
def entries(project_root) -> Dict[str, List[str]]:
    return layout_entries(layout_block((project_root / "README.md").read_text(encoding="utf-8")))


def test_every_named_path_exists(project_root, entries):
    missing = [f"{top}{child}" if child else top
               for top, children in entries.items() for child in [""] + children
               if not (project_root / (f"{top}{child}" if child else top)).exists()]
    assert not [m for m in missing if not m.startswith(".venv")], missing


@pytest.mark.parametrize("package", ["actions", "clinic_assistant"])
def test_every_module_of_the_code_is_named(project_root, entries, package):
    named = {name.rstrip("/") for name in entries[f"{package}/"]}
    present = {path.name for path in (project_root / package).iterdir()
               if (path.suffix == ".py" or (path.is_dir() and (path / "__init__.py").exists()))
               and path.name not in ("__init__.py", "__main__.py")}
    assert sorted(present - named) == []


def test_every_top_level_file_in_git_is_named(project_root, entries):
    tracked = subprocess.run(["git", "ls-files"], cwd=project_root, capture_output=True,
                             text=True, check=True).stdout.split()
    top = {path.split("/")[0] for path in tracked} - {".gitignore"}
    named = {name.split("/")[0] for name in entries}
    assert sorted(top - named) == []
