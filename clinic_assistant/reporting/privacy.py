"""Remove phone numbers and email addresses from patient messages before they are shown.

Both run in linear time on any input (anyone can post a 5,000,000-character message to the
public chat endpoint): e-mail addresses are found from runs of address characters, each read
once, instead of a pattern that would retry a long run of letters from every position, and the
phone pattern only has bounded repeats of disjoint character classes.
"""

from __future__ import annotations

import re
from typing import List, Tuple

PHONE_MARK = "[phone]"
EMAIL_MARK = "[email]"

# 7 to 15 digits (E.164 allows 15) with spaces, dots, dashes or brackets between them and an
# optional leading + or (. Dates such as 2024-03-12 are removed too: better one figure too many.
_PHONE = re.compile(r"(?<![\w+])(?:\+\s?)?\(?\d(?:[\s.\-()/]{0,3}\d){6,14}(?![\w])")
#: A run of characters that may form an address's local part (each run is matched once).
_LOCAL_RUN = re.compile(r"[\w.+%-]+")
#: A domain, matched only at the position right after an "@" (anchored, so no retries).
_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)+")


def email_spans(text: str) -> List[Tuple[int, int]]:
    """(start, end) of every e-mail address `local@label.label...`, left to right, as the
    pattern `[\\w.+%-]+@[\\w-]+(?:\\.[\\w-]+)+` would find them, in linear time."""
    spans: List[Tuple[int, int]] = []
    floor = 0
    for run in _LOCAL_RUN.finditer(text):
        at = run.end()
        start = max(run.start(), floor)
        if start >= at or not text.startswith("@", at):
            continue
        domain = _DOMAIN.match(text, at + 1)
        if domain is not None:
            spans.append((start, domain.end()))
            floor = domain.end()
    return spans


def redact_emails(text: str) -> str:
    """`text` with every e-mail address replaced by [email]."""
    parts, last = [], 0
    for start, end in email_spans(text):
        parts += [text[last:start], EMAIL_MARK]
        last = end
    parts.append(text[last:])
    return "".join(parts)


def redact(text: str) -> str:
    """`text` with every email address and phone number replaced by [email] / [phone]."""
    return _PHONE.sub(PHONE_MARK, redact_emails(text))
