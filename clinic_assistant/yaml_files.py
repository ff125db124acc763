"""Read a project YAML file (content, training data, domain, test sets) the one way.

Every file is parsed through the cache (yaml_cache.parse_yaml) with a loader that refuses the
same key twice in one mapping (plain YAML silently keeps the last one, so an entry pasted twice
would hide the first). Every failure -- a missing file, invalid YAML, a duplicate key, no
mapping where one is needed -- is a `ContentError` that names the file (relative to the project
root when one is given), the line to look at and what to do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Optional

import yaml

from clinic_assistant.yaml_cache import parse_yaml


class ContentError(ValueError):
    """A content file is missing, malformed or inconsistent."""

    def __init__(self, file: Path | str, entry: Optional[str], problem: str) -> None:
        where = f"{file}" + (f", entry '{entry}'" if entry else "")
        super().__init__(f"{where}: {problem}")
        self.file = str(file)
        self.entry = entry
        self.problem = problem


class _DuplicateKey(yaml.constructor.ConstructorError):
    """The same key twice in one mapping."""

    def __init__(self, key: str, mark: yaml.Mark) -> None:
        super().__init__(None, None, f"'{key}' appears twice", mark)
        self.key = key


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses the same key twice in one mapping (YAML keeps the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Dict[Any, Any]:
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise _DuplicateKey(str(key), key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _name(path: Path, root: Optional[Path]) -> Path | str:
    """`path` relative to `root` when it lies inside it, else as given."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve())
        except ValueError:
            pass
    return path


def read_yaml_file(path: Path, root: Optional[Path] = None, *, mapping: bool = False) -> Any:
    """The parsed content of the YAML file at `path` (None for an empty file).

    With `mapping`, the top level must be a mapping (an empty file reads as an empty one).
    Raises ContentError naming the file (relative to `root`, if given) on any failure.
    """
    name = _name(path, root)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise ContentError(name, None, "file not found. Restore it from git or the docs.") \
            from error
    except (OSError, UnicodeDecodeError) as error:
        raise ContentError(name, None, f"cannot be read ({error}). Save it as UTF-8 text or "
                           "restore it from git.") from error
    try:
        data = parse_yaml(text, _UniqueKeyLoader)
    except _DuplicateKey as error:
        line = error.problem_mark.line + 1 if error.problem_mark else "?"
        raise ContentError(
            name, error.key, f"appears twice (the second time on line {line}). Each entry may "
            "appear only once: merge the two or rename one."
        ) from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f" near line {mark.line + 1}" if mark else ""
        raise ContentError(
            name, None, f"not valid YAML{line}: check the indentation (spaces, not tabs), the "
            f"dashes and any quotes ({error})."
        ) from error
    if mapping:
        if data is None:
            return {}
        if not isinstance(data, dict):
            raise ContentError(name, None, "must contain a mapping at the top level.")
    return data
