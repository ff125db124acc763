"""Read labelled examples from Rasa NLU YAML files, and lists of test phrasings."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, List, Optional, Tuple

from clinic_assistant.yaml_files import ContentError, read_yaml_file


def read_examples(paths: Iterable[Path], root: Optional[Path] = None) -> List[Tuple[str, str]]:
    """(intent, text) pairs from Rasa NLU YAML files, in file order; entity markup is kept.

    A broken file raises ContentError naming it (relative to `root`, if given) and the line.
    """
    pairs: List[Tuple[str, str]] = []
    for path in paths:
        data = read_yaml_file(path, root, mapping=True)
        for block in data.get("nlu") or []:
            if "intent" not in block:
                continue
            for line in str(block.get("examples", "")).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    pairs.append((str(block["intent"]), line[2:].strip()))
    return pairs


def normalise_example(text: str) -> str:
    """Lower-case words only, for spotting the same sentence in two files."""
    return " ".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def read_phrasings(path: Path, key: str) -> List[str]:
    """The texts listed under `key` in a YAML file of phrasings (a mapping of lists of strings,
    e.g. tests/nlu/red_flag_phrasings.yml). A broken file, or a key that is missing, empty or
    not a list of texts, raises ContentError naming it (a test must not run on nothing)."""
    texts = read_yaml_file(path, mapping=True).get(key)
    if not texts or not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        raise ContentError(str(path), None, f"`{key}` must be a list of texts.")
    return texts
