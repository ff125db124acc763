"""Pattern groups that recognise questions outside the assistant's scope (content/scope.yml)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Pattern, Sequence, Tuple

from clinic_assistant.patterns import compile_patterns
from clinic_assistant.red_flags import normalise
from clinic_assistant.yaml_files import read_yaml_file


@dataclass(frozen=True)
class ScopeGroup:
    """Something the assistant does not cover: any of `any_of`, and none of `unless`."""

    name: str
    any_of: Tuple[Pattern[str], ...]
    unless: Tuple[Pattern[str], ...]

    def matches(self, text: str) -> bool:
        """Whether the (normalised) text is about this group and not also about our scope."""
        return any(p.search(text) for p in self.any_of) and not any(
            p.search(text) for p in self.unless)


def load_scope_groups(path: Path) -> List[ScopeGroup]:
    """Read and compile the scope file; raise ValueError naming the group on a bad pattern."""
    data = read_yaml_file(path, mapping=True)
    groups = []
    for name, spec in (data.get("groups") or {}).items():
        spec = spec or {}
        where = f"{path}, group '{name}'"
        any_of = compile_patterns(spec.get("any"), where)
        unless = compile_patterns(spec.get("unless"), where)
        if not any_of:
            raise ValueError(f"{path}, group '{name}': needs 'any' patterns")
        groups.append(ScopeGroup(name=name, any_of=any_of, unless=unless))
    if not groups:
        raise ValueError(f"{path}: no groups found")
    return groups


def outside_scope(groups: Sequence[ScopeGroup], text: str) -> Optional[str]:
    """Name of the first out-of-scope group the message is about, or None."""
    normalised = normalise(text)
    for group in groups:
        if group.matches(normalised):
            return group.name
    return None
