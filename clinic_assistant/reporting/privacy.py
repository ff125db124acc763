"""Remove phone numbers and email addresses from patient messages before they are shown."""

from __future__ import annotations

import re

PHONE_MARK = "[phone]"
EMAIL_MARK = "[email]"

_EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# 7 to 15 digits (E.164 allows 15) with spaces, dots, dashes or brackets between them and an
# optional leading + or (. Dates such as 2024-03-12 are removed too: better one figure too many.
_PHONE = re.compile(r"(?<![\w+])(?:\+\s?)?\(?\d(?:[\s.\-()/]{0,3}\d){6,14}(?![\w])")


def redact(text: str) -> str:
    """`text` with every email address and phone number replaced by [email] / [phone]."""
    return _PHONE.sub(PHONE_MARK, _EMAIL.sub(EMAIL_MARK, text))
