"""Short references patients can quote on the phone, e.g. CB-7K3QX."""

from __future__ import annotations

import secrets

#: No 0/O, 1/I/L: easy to read out.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_reference(length: int = 5) -> str:
    """A random call-back reference."""
    return "CB-" + "".join(secrets.choice(ALPHABET) for _ in range(length))
