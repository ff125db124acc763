"""Edits the tests make to a copy of the project's content files."""

from __future__ import annotations

from pathlib import Path


def repeat_key(path: Path, line: str, repeated: str) -> int:
    """Write `repeated` right after the first line equal to `line` (a key written twice, as a
    hand edit leaves it); the line number, from 1, of the repeated key."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = [text.rstrip("\n") for text in lines].index(line)
    lines.insert(index + 1, repeated + "\n")
    path.write_text("".join(lines), encoding="utf-8")
    return index + 2
