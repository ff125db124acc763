"""Which message keys the code asks content/messages.yml for, found by reading the code.

`make validate` checks that each one exists, so deleting a key the code needs fails there (file
and line of the use) instead of at run time. Found are the string literals that reach a
`.message(...)` call: passed directly; through a module-level dict or tuple of literals indexed
or searched in the call (`QUESTIONS[slot]`, `KEYS.get(reason)`) or first put in a local name;
through a parameter of a function of the same module that passes it on (`_say(d, "key")`); and
and arguments for a parameter or dataclass field called `message_key` or `problem` (by keyword
or position, for functions and dataclasses of any module: `Checked(problem="...")`,
`Problem(413, "...", "message_too_large")`).
"""

from __future__ import annotations

import ast
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Set, Tuple, Union

from typing_extensions import TypeGuard

#: Where the code that asks for messages lives (relative to the project).
CODE_FOLDERS = ("actions", "clinic_assistant")
#: Parameters and dataclass fields that hold a message key.
KEY_PARAMETERS = frozenset({"message_key", "problem"})
#: What a key looks like (messages.yml keys are snake_case).
KEY_SHAPE = re.compile(r"[a-z][a-z0-9_]{0,80}")


@dataclass(frozen=True)
class KeyUse:
    """One place the code asks for a message key."""

    key: str
    file: str
    line: int


def _literals(node: Optional[ast.AST]) -> List[str]:
    """String constants in a literal (a string, or a dict's values / a tuple's items)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Dict):
        return [v.value for v in node.values
                if isinstance(v, ast.Constant) and isinstance(v.value, str)]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [e.value for e in node.elts
                if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return []


def _is_message_call(node: ast.AST) -> TypeGuard[ast.Call]:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "message" and bool(node.args))


class _ModuleScan:
    """The key uses of one module."""

    def __init__(self, tree: ast.Module, file: str,
                 signatures: Optional[Dict[str, Set[int]]] = None) -> None:
        self.file = file
        self.signatures = signatures or {}
        # Every node of the module and of each function, walked once (ast.walk is the slow part).
        self.walked: Dict[int, List[ast.AST]] = {id(tree): list(ast.walk(tree))}
        self.functions: List[Union[ast.FunctionDef, ast.AsyncFunctionDef]] = [
            n for n in self.walked[id(tree)]
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        for function in self.functions:
            self.walked[id(function)] = list(ast.walk(function))
        self.constants: Dict[str, List[str]] = {}
        for statement in tree.body:
            targets = (statement.targets if isinstance(statement, ast.Assign)
                       else [statement.target] if isinstance(statement, ast.AnnAssign) else [])
            value = getattr(statement, "value", None)
            for target in targets:
                if isinstance(target, ast.Name) and _literals(value):
                    self.constants[target.id] = _literals(value)
        self.tree = tree
        self.uses: List[KeyUse] = []

    def _keys_of(self, node: ast.AST, local: Dict[str, List[str]]) -> List[str]:
        """The keys an expression can evaluate to (as far as this scan can tell)."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, ast.Name):
            return local.get(node.id) or self.constants.get(node.id, [])
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
            return self.constants.get(node.value.id, [])
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "get" and isinstance(node.func.value, ast.Name)):
            return self.constants.get(node.func.value.id, [])
        if isinstance(node, ast.IfExp):
            return self._keys_of(node.body, local) + self._keys_of(node.orelse, local)
        if isinstance(node, ast.Attribute) and node.attr == "message_key":
            return []  # message_key= literals are collected where they are written
        return []

    def _passing_parameters(self) -> Dict[str, int]:
        """Functions of this module that pass a parameter on to `.message()`: name -> index."""
        passing: Dict[str, int] = {}
        for function in self.functions:
            names = [a.arg for a in function.args.args]
            for node in self.walked[id(function)]:
                if (_is_message_call(node) and isinstance(node.args[0], ast.Name)
                        and node.args[0].id in names):
                    passing[function.name] = names.index(node.args[0].id)
        return passing

    def scan(self) -> List[KeyUse]:
        passing = self._passing_parameters()
        for function in [self.tree, *self.functions]:
            nodes = self.walked[id(function)]
            local: Dict[str, List[str]] = {}
            for node in nodes:
                if isinstance(node, ast.Assign):
                    for target in node.targets:
                        if isinstance(target, ast.Name):
                            found = self._keys_of(node.value, {})
                            if found:
                                local[target.id] = local.get(target.id, []) + found
                elif isinstance(node, ast.For) and isinstance(node.target, ast.Name):
                    found = self._keys_of(node.iter, {})
                    if found:
                        local[node.target.id] = found
            for node in nodes:
                if _is_message_call(node):
                    self._add(self._keys_of(node.args[0], local), node)
                if isinstance(node, ast.Call):
                    name = node.func.attr if isinstance(node.func, ast.Attribute) else (
                        node.func.id if isinstance(node.func, ast.Name) else "")
                    index = passing.get(name)
                    if index is not None:
                        offset = 1 if isinstance(node.func, ast.Attribute) and index > 0 else 0
                        position = index - offset
                        if 0 <= position < len(node.args):
                            self._add(self._keys_of(node.args[position], local), node)
                    for keyword in node.keywords:
                        if keyword.arg in KEY_PARAMETERS:
                            self._add(self._keys_of(keyword.value, local), node)
                    for position in self.signatures.get(name, set()):
                        if position < len(node.args):
                            self._add(self._keys_of(node.args[position], local), node)
                if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) \
                        and node.target.id in KEY_PARAMETERS:
                    self._add(_literals(node.value), node)
        return self.uses

    def _add(self, keys: Iterable[str], node: ast.AST) -> None:
        for key in keys:
            if KEY_SHAPE.fullmatch(key):  # not a sentence passed where a key could go
                self.uses.append(KeyUse(key, self.file, getattr(node, "lineno", 0)))


def _signatures(modules: Iterable[Iterable[ast.AST]]) -> Dict[str, Set[int]]:
    """For every function and class name: the positions (`self` left out) at which one of the
    functions or dataclasses of that name takes a message key (`modules`: each one's nodes)."""
    found: Dict[str, Set[int]] = {}
    for nodes in modules:
        for node in nodes:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                names = [a.arg for a in node.args.args if a.arg not in ("self", "cls")]
            elif isinstance(node, ast.ClassDef):
                names = [s.target.id for s in node.body if isinstance(s, ast.AnnAssign)
                         and isinstance(s.target, ast.Name)]
            else:
                continue
            found.setdefault(node.name, set()).update(
                i for i, name in enumerate(names) if name in KEY_PARAMETERS)
    return found


def message_key_uses(root: Path) -> List[KeyUse]:
    """Every use of a message key in the project's code under `root`, sorted by key."""
    sources = tuple((str(path.relative_to(root)), path.read_text(encoding="utf-8"))
                    for folder in CODE_FOLDERS for path in sorted((root / folder).rglob("*.py")))
    return list(_uses_in(sources))


@functools.lru_cache(maxsize=8)
def _uses_in(sources: Tuple[Tuple[str, str], ...]) -> Tuple[KeyUse, ...]:
    """The key uses of the modules given as (file, code); cached by the code itself, so the
    scan (about a second) runs once per version of the code, not once per check."""
    scans = [_ModuleScan(ast.parse(code), file) for file, code in sources]
    signatures = _signatures(scan.walked[id(scan.tree)] for scan in scans)
    uses: List[KeyUse] = []
    for scan in scans:
        scan.signatures = signatures
        uses += scan.scan()
    unique = {(use.key, use.file, use.line): use for use in uses}
    return tuple(sorted(unique.values(), key=lambda use: (use.key, use.file, use.line)))


def keys_used(root: Path) -> Set[str]:
    """The message keys the code asks for."""
    return {use.key for use in message_key_uses(root)}
