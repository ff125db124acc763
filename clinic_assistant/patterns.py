"""Compile the pattern files' regular expressions so that they run in linear time.

Staff write patterns such as `numb\\w*` or `can'?t\\W+{W3}feel` (content/red_flags.yml,
content/scope.yml). An unbounded `\\w*` lets Python's backtracking engine re-read a long run of
letters from every position where the stem occurs ("numbnumbnumb...": 20,000 characters took
12 s). Here every word-class repeat is bounded (`\\w*` is read as at most 30 letters, `\\W+` as at
most 8 separators), so the work per starting position is bounded and a message is read in time
proportional to its length. No real word is longer than 30 letters.
"""

from __future__ import annotations

import re
from typing import Iterable, Pattern, Tuple

#: Unbounded repeats of the word classes, and their bounded forms.
_BOUNDED = (
    (r"\w*", r"\w{0,30}"),
    (r"\w+", r"\w{1,30}"),
    (r"\W*", r"\W{0,8}"),
    (r"\W+", r"\W{1,8}"),
)
#: `{W3}` in a pattern stands for "zero to three words" between two parts.
_WORD_GAP = re.compile(r"\{W(\d)\}")


def bounded(pattern: str) -> str:
    """The pattern with word gaps expanded and every word-class repeat bounded."""
    for unbounded, limited in _BOUNDED:
        pattern = pattern.replace(unbounded, limited)
    return _WORD_GAP.sub(lambda m: rf"(?:\w{{1,30}}\W{{1,8}}){{0,{m.group(1)}}}", pattern)


def compile_pattern(pattern: str) -> Pattern[str]:
    """Compile a pattern file's pattern, case-insensitive and bounded (raises re.error)."""
    return re.compile(bounded(pattern), re.IGNORECASE)


def compile_patterns(patterns: Iterable[str], where: str) -> Tuple[Pattern[str], ...]:
    """Compile a list of a pattern file's patterns; ValueError naming `where` on a bad one."""
    try:
        return tuple(compile_pattern(pattern) for pattern in patterns or [])
    except re.error as error:
        raise ValueError(f"{where}: bad pattern ({error})") from error
