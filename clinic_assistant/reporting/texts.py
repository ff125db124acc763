"""Patient texts as the report's tables show them: one line, and long ones shortened."""

from __future__ import annotations

#: Characters of a message shown in a table; a longer one is cut at a word and gets "…".
SHOWN_CHARACTERS = 200
ELLIPSIS = "…"


def one_line(text: str) -> str:
    """`text` with every run of white space (line breaks too) made one space."""
    return " ".join(text.split())


def shorten(text: str, limit: int = SHOWN_CHARACTERS) -> str:
    """The first `limit` characters of `text` on one line, cut after a whole word, plus "…".

    Linear in the length of `text`. A single word longer than half the limit is cut inside.
    """
    line = one_line(text[: limit * 4])
    if len(line) <= limit + 1:  # the prefix does not decide it: read the whole text
        line = one_line(text)
        if len(line) <= limit:
            return line
    cut = line[:limit]
    if line[limit] != " ":
        space = cut.rfind(" ")
        if space >= limit // 2:
            cut = cut[:space]
    return cut.rstrip(" ,;:.-") + ELLIPSIS
