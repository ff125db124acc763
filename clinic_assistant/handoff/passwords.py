"""Staff passwords: salted scrypt hashes (standard library), compared in constant time."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

_N, _R, _P = 2**14, 8, 1
#: NIST SP 800-63B: at least 15 characters for a password that is the only factor ...
MIN_LENGTH = 15
#: ... and at least 10 when the account also has a second factor (a TOTP code).
MIN_LENGTH_WITH_SECOND_FACTOR = 10
#: What an unknown username's password is checked against: a stored form with the same cost
#: (its all-zero digest matches nothing in practice, and the result is not used).
_STAND_IN = "$".join(["scrypt", str(_N), str(_R), str(_P), base64.b64encode(bytes(16)).decode(),
                      base64.b64encode(bytes(64)).decode()])


def hash_password(password: str) -> str:
    """A storable hash of `password`: 'scrypt$N$r$p$salt$hash'."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P)
    return "$".join(["scrypt", str(_N), str(_R), str(_P),
                     base64.b64encode(salt).decode(), base64.b64encode(digest).decode()])


def verify_password(password: str, stored: str) -> bool:
    """Whether `password` matches the stored hash."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        candidate = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt),
                                   n=int(n), r=int(r), p=int(p))
        expected = base64.b64decode(digest)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(candidate, expected)


def check_for_nobody(password: str) -> None:
    """Spend what checking `password` against an account would (one scrypt), so a sign-in with
    an unknown username is answered no sooner than one with a wrong password."""
    verify_password(password, _STAND_IN)


def password_problem(password: str, second_factor: bool = False) -> str | None:
    """Why a new password is not acceptable, or None (shorter ones with a second factor)."""
    minimum = MIN_LENGTH_WITH_SECOND_FACTOR if second_factor else MIN_LENGTH
    if len(password) < minimum:
        extra = "" if second_factor else " (or 10 with a second factor: --totp)"
        return f"use at least {minimum} characters{extra}"
    if password.strip() != password:
        return "do not start or end with spaces"
    return None
