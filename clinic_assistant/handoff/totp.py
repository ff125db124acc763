"""Time-based one-time passwords (RFC 6238, HMAC-SHA1, 6 digits, 30 s) with the standard library.

These are the codes authenticator apps (Google Authenticator, Microsoft Authenticator, FreeOTP,
1Password ...) show after scanning or typing the `otpauth://` address printed at enrolment.
"""

from __future__ import annotations

import base64
import hmac
import secrets
import struct
from typing import Optional
from urllib.parse import quote, urlencode

PERIOD_SECONDS = 30
DIGITS = 6
#: Codes one step before or after the current one are accepted (clocks drift, people type slowly).
DRIFT_STEPS = 1


def new_secret() -> str:
    """A random 160-bit secret in base32, as authenticator apps expect it."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def _key(secret: str) -> bytes:
    cleaned = secret.replace(" ", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def hotp(key: bytes, counter: int, digits: int = DIGITS, digest: str = "sha1") -> str:
    """The HOTP value of `counter` (RFC 4226, dynamic truncation)."""
    mac = hmac.new(key, struct.pack(">Q", counter), digest).digest()
    offset = mac[-1] & 0x0F
    value = int.from_bytes(mac[offset:offset + 4], "big") & 0x7FFFFFFF
    return str(value % 10 ** digits).zfill(digits)


def step_at(unix_seconds: float) -> int:
    """The RFC 6238 time step of a moment."""
    return int(unix_seconds // PERIOD_SECONDS)


def code_at(secret: str, unix_seconds: float) -> str:
    """The code an authenticator app shows at that moment."""
    return hotp(_key(secret), step_at(unix_seconds))


def matching_step(secret: str, code: str, unix_seconds: float, after_step: int) -> Optional[int]:
    """The time step `code` belongs to (within the drift), if it is later than `after_step`.

    Refusing steps up to `after_step` makes each code usable once (RFC 6238 section 5.2).
    """
    code = code.replace(" ", "")
    if len(code) != DIGITS or not code.isdigit():
        return None
    try:
        key = _key(secret)
    except ValueError:
        return None
    now = step_at(unix_seconds)
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if step > after_step and hmac.compare_digest(hotp(key, step), code):
            return step
    return None


def otpauth_uri(secret: str, account: str, issuer: str) -> str:
    """The `otpauth://totp/...` address an authenticator app imports (or shows as a QR code)."""
    label = quote(f"{issuer}:{account}", safe=":@")
    query = urlencode({"secret": secret, "issuer": issuer, "algorithm": "SHA1",
                       "digits": DIGITS, "period": PERIOD_SECONDS}, quote_via=quote)
    return f"otpauth://totp/{label}?{query}"

