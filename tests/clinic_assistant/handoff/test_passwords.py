"""Staff passwords: salted scrypt hashes and the rules for new passwords."""

from __future__ import annotations

import pytest

from clinic_assistant.handoff.passwords import (
    MIN_LENGTH,
    MIN_LENGTH_WITH_SECOND_FACTOR,
    hash_password,
    password_problem,
    verify_password,
)


def test_a_hash_verifies_its_password_only() -> None:
    """The right password matches; a changed one does not."""
    stored = hash_password("correct horse battery")
    assert verify_password("correct horse battery", stored)
    assert not verify_password("correct horse batter", stored)
    assert not verify_password("Correct horse battery", stored)
    assert not verify_password("", stored)


def test_hashes_are_salted_and_hide_the_password() -> None:
    """Two hashes of one password differ and neither contains it."""
    first, second = hash_password("correct horse battery"), hash_password("correct horse battery")
    assert first != second
    assert first.startswith("scrypt$16384$8$1$")
    assert "correct horse battery" not in first
    assert verify_password("correct horse battery", second)


def test_non_ascii_passwords_work() -> None:
    """Passwords are encoded as UTF-8."""
    assert verify_password("pässwörd-ñandú-🔑", hash_password("pässwörd-ñandú-🔑"))


@pytest.mark.parametrize("stored", [
    "", "plain text", "bcrypt$16384$8$1$c2FsdA==$ZGlnZXN0",
    "scrypt$x$8$1$c2FsdA==$ZGlnZXN0", "scrypt$16384$8$1$c2FsdA==$abc",
    "scrypt$16384$8$1$abc$ZGlnZXN0",
])
def test_a_damaged_or_foreign_hash_never_matches(stored: str) -> None:
    """Unreadable stored values give False instead of an error."""
    assert verify_password("anything at all", stored) is False


TOO_SHORT = f"use at least {MIN_LENGTH} characters (or 10 with a second factor: --totp)"


def test_the_minimum_lengths_follow_nist_800_63b() -> None:
    """15 characters for a password on its own, 10 with a second factor."""
    assert (MIN_LENGTH, MIN_LENGTH_WITH_SECOND_FACTOR) == (15, 10)


@pytest.mark.parametrize("password, second_factor, problem", [
    ("x" * (MIN_LENGTH - 1), True, None),
    ("x" * (MIN_LENGTH_WITH_SECOND_FACTOR - 1), True,
     f"use at least {MIN_LENGTH_WITH_SECOND_FACTOR} characters"),
])
def test_a_second_factor_allows_a_shorter_password(password: str, second_factor: bool,
                                                   problem: str | None) -> None:
    """With a TOTP code the password may be 10-14 characters long."""
    assert password_problem(password, second_factor) == problem


@pytest.mark.parametrize("password, problem", [
    ("short", TOO_SHORT),
    ("x" * (MIN_LENGTH - 1), TOO_SHORT),
    (" leading space pw", "do not start or end with spaces"),
    ("trailing space pw ", "do not start or end with spaces"),
    ("x" * MIN_LENGTH, None),
    ("correct horse battery", None),
])
def test_password_problem(password: str, problem: str | None) -> None:
    """Too short or padded with spaces is refused, with the reason."""
    assert password_problem(password) == problem
