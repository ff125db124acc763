"""YAML parsing cached by the text parsed: each distinct file content is parsed once a process.

The content, training data and test sets are read by many checks (make validate, add-topic,
the reports, the tests); PyYAML's pure-Python parser takes about a second for all of them.
The cache is keyed by the text itself (and the loader), so an edited file is parsed again and a
stale result is never returned; every caller gets its own deep copy, free to change it.
Errors are not cached: a broken file raises the loader's own error each time.
"""

from __future__ import annotations

import copy
import functools
from typing import Any, Callable, Type, cast

import yaml

#: Distinct texts kept (a project has about 50 YAML files; tests edit copies of them).
CACHE_SIZE = 256
Loader = Type[yaml.SafeLoader]


def _parse(text: str, loader: Loader) -> Any:
    return yaml.load(text, Loader=loader)


_parsed = cast(Callable[[str, Loader], Any], functools.lru_cache(maxsize=CACHE_SIZE)(_parse))


def parse_yaml(text: str, loader: Loader = yaml.SafeLoader) -> Any:
    """`yaml.load(text, Loader=loader)`, from the cache when this text was parsed before."""
    return copy.deepcopy(_parsed(text, loader))
