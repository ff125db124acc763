"""Checking what patients type into the call-back form: name, phone or email, time, reason."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

MAX_NAME = 80
MAX_TIME = 120
MAX_REASON = 500
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[A-Za-z]{2,}$")
_PHONE_CHARS = re.compile(r"^\+?[\d\s().\-/]+$")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_MARKUP = re.compile(r"[<>]")


@dataclass(frozen=True)
class Checked:
    """A cleaned value, or the key of the message that explains what is wrong."""

    value: Optional[str] = None
    problem: Optional[str] = None


def check_name(text: str) -> Checked:
    """A name: letters, at most MAX_NAME characters, no markup."""
    name = " ".join(text.split())
    if not name or not _LETTER.search(name):
        return Checked(problem="callback_name_missing")
    if len(name) > MAX_NAME or _MARKUP.search(name):
        return Checked(problem="callback_name_invalid")
    return Checked(value=name)


def check_contact(text: str) -> Checked:
    """A phone number (7-15 digits, may start with +) or an email address."""
    contact = text.strip().strip(".")
    if "@" in contact:
        if _EMAIL.match(contact) and len(contact) <= 254:
            return Checked(value=contact.lower())
        return Checked(problem="callback_email_invalid")
    if not _PHONE_CHARS.match(contact or "x"):
        return Checked(problem="callback_contact_invalid")
    digits = re.sub(r"\D", "", contact)
    if not 7 <= len(digits) <= 15:
        return Checked(problem="callback_phone_invalid")
    return Checked(value=("+" if contact.startswith("+") else "") + digits)


def contact_kind(contact: str) -> str:
    """'email' or 'phone' for a checked contact."""
    return "email" if "@" in contact else "phone"


def check_free_text(text: str, limit: int, problem: str) -> Checked:
    """Short free text (preferred time, reason): not empty, at most `limit` characters."""
    value = " ".join(text.split())
    if not value or len(value) > limit:
        return Checked(problem=problem)
    return Checked(value=value)
