"""YAML parsing cached by the text parsed: each distinct file content is parsed once a process.

The content, training data and test sets are read by many checks (make validate, add-topic,
the reports, the tests); PyYAML's pure-Python parser takes about a second for all of them.
The cache is keyed by the text itself (and the loader), so an edited file is parsed again and a
stale result is never returned; every caller gets its own deep copy, free to change it.

A text is parsed by libyaml (PyYAML's C parser, ten times faster) with the loader's own
constructors. If that fails, the pure-Python loader parses it again, so a broken file gets the
same error and message as before. Errors are not cached: a broken file raises each time.
"""

from __future__ import annotations

import copy
import functools
from typing import Any, Callable, Dict, Optional, Type, cast

import yaml

#: Distinct texts kept (a project has about 50 YAML files; tests edit copies of them).
CACHE_SIZE = 256
Loader = Type[yaml.SafeLoader]


#: Each loader's twin on libyaml's parser, made on first use.
_ON_LIBYAML: Dict[Loader, Optional[Loader]] = {}


def _on_libyaml(loader: Loader) -> Optional[Loader]:
    """`loader` with libyaml's parser in place of PyYAML's (None without libyaml)."""
    if not getattr(yaml, "__with_libyaml__", False):
        return None
    if loader not in _ON_LIBYAML:
        from yaml._yaml import CParser

        def __init__(self: Any, stream: str) -> None:  # as yaml.CSafeLoader does
            CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

        _ON_LIBYAML[loader] = cast(Loader, type(f"LibYAML{loader.__name__}", (CParser, loader),
                                                {"__init__": __init__}))
    return _ON_LIBYAML[loader]


def _parse(text: str, loader: Loader) -> Any:
    fast = _on_libyaml(loader)
    if fast is not None:
        try:
            return yaml.load(text, Loader=fast)
        except yaml.YAMLError:
            pass  # the pure-Python loader's own error and message, below
    return yaml.load(text, Loader=loader)


_parsed = cast(Callable[[str, Loader], Any], functools.lru_cache(maxsize=CACHE_SIZE)(_parse))


def parse_yaml(text: str, loader: Loader = yaml.SafeLoader) -> Any:
    """`yaml.load(text, Loader=loader)`, from the cache when this text was parsed before."""
    return copy.deepcopy(_parsed(text, loader))
