"""Pattern rules that recognise emergency (red-flag) symptoms in a message."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Pattern, Sequence, Tuple

from clinic_assistant.patterns import compile_patterns
from clinic_assistant.yaml_files import read_yaml_file



@dataclass(frozen=True)
class RedFlagRule:
    """A named rule: any one of `any`, or every one of `all`, must occur in the message, and
    none of `unless` (a reading that is not an emergency, such as "what is cauda equina?")."""

    name: str
    any_of: Tuple[Pattern[str], ...]
    all_of: Tuple[Pattern[str], ...]
    unless: Tuple[Pattern[str], ...] = ()

    def matches(self, text: str) -> bool:
        """Whether the (normalised) text triggers this rule."""
        if any(p.search(text) for p in self.unless):
            return False
        if self.any_of and any(p.search(text) for p in self.any_of):
            return True
        return bool(self.all_of) and all(p.search(text) for p in self.all_of)


def normalise(text: str) -> str:
    """Lower-case, straight apostrophes, single spaces: the form the patterns expect."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").lower()
    return " ".join(text.split())


def load_rules(path: Path) -> List[RedFlagRule]:
    """Read and compile the rules file; raise ValueError naming the rule on a bad pattern."""
    data = read_yaml_file(path, mapping=True)
    rules = []
    for name, spec in (data.get("rules") or {}).items():
        where = f"{path}, rule '{name}'"
        any_of = compile_patterns(spec.get("any"), where)
        all_of = compile_patterns(spec.get("all"), where)
        unless = compile_patterns(spec.get("unless"), where)
        if not any_of and not all_of:
            raise ValueError(f"{path}, rule '{name}': needs 'any' or 'all' patterns")
        rules.append(RedFlagRule(name=name, any_of=any_of, all_of=all_of, unless=unless))
    if not rules:
        raise ValueError(f"{path}: no rules found")
    return rules


def matching_rule(rules: Sequence[RedFlagRule], text: str) -> Optional[str]:
    """Name of the first rule the message triggers, or None."""
    normalised = normalise(text)
    for rule in rules:
        if rule.matches(normalised):
            return rule.name
    return None
