"""TOTP codes (RFC 6238): the RFC's test vectors, drift, one use per code, the otpauth address."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlparse

import pytest

from clinic_assistant.handoff import totp

#: RFC 6238 appendix B, SHA-1: the ASCII key "12345678901234567890", 8 digits.
RFC_KEY = b"12345678901234567890"


@pytest.mark.parametrize("unix_seconds, code", [
    (59, "94287082"), (1111111109, "07081804"), (1111111111, "14050471"),
    (1234567890, "89005924"), (2000000000, "69279037"), (20000000000, "65353130"),
])
def test_rfc_6238_test_vectors(unix_seconds: int, code: str) -> None:
    assert totp.hotp(RFC_KEY, totp.step_at(unix_seconds), digits=8) == code


def test_six_digit_codes_from_a_base32_secret_are_the_vectors_last_digits() -> None:
    secret = base64.b32encode(RFC_KEY).decode().rstrip("=")
    assert totp.code_at(secret, 59) == "287082"
    assert totp.code_at(secret.lower(), 1111111109) == "081804"


def test_a_code_matches_its_step_and_one_step_either_side_only() -> None:
    secret = totp.new_secret()
    now = 1_764_000_015.0
    step = totp.step_at(now)
    for offset in (-1, 0, 1):
        code = totp.code_at(secret, now + offset * totp.PERIOD_SECONDS)
        assert totp.matching_step(secret, code, now, after_step=0) == step + offset
    for offset in (-3, -2, 2, 3):
        code = totp.code_at(secret, now + offset * totp.PERIOD_SECONDS)
        if code not in {totp.code_at(secret, now + o * 30) for o in (-1, 0, 1)}:
            assert totp.matching_step(secret, code, now, after_step=0) is None


def test_each_code_works_once() -> None:
    """A step at or before the last used one is refused (RFC 6238 section 5.2)."""
    secret = totp.new_secret()
    now = 1_764_000_015.0
    code = totp.code_at(secret, now)
    used = totp.matching_step(secret, code, now, after_step=0)
    assert used == totp.step_at(now)
    assert totp.matching_step(secret, code, now, after_step=used) is None
    later = totp.code_at(secret, now + 30)
    assert totp.matching_step(secret, later, now + 30, after_step=used) == used + 1


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "12 34 5x"])
def test_malformed_codes_never_match(code: str) -> None:
    assert totp.matching_step(totp.new_secret(), code, 1_764_000_015.0, after_step=0) is None


def test_a_code_with_a_space_in_the_middle_is_accepted() -> None:
    secret = totp.new_secret()
    code = totp.code_at(secret, 1_764_000_015.0)
    assert totp.matching_step(secret, f"{code[:3]} {code[3:]}", 1_764_000_015.0, 0) is not None


def test_secrets_are_random_160_bit_base32() -> None:
    first, second = totp.new_secret(), totp.new_secret()
    assert first != second and len(first) == 32
    assert len(base64.b32decode(first)) == 20


def test_otpauth_address_as_authenticator_apps_read_it() -> None:
    uri = totp.otpauth_uri("JBSWY3DPEHPK3PXP", "anna", "Riverside Spine Clinic staff console")
    parsed = urlparse(uri)
    assert (parsed.scheme, parsed.netloc) == ("otpauth", "totp")
    assert parsed.path == "/Riverside%20Spine%20Clinic%20staff%20console:anna"
    query = parse_qs(parsed.query)
    assert query == {"secret": ["JBSWY3DPEHPK3PXP"],
                     "issuer": ["Riverside Spine Clinic staff console"],
                     "algorithm": ["SHA1"], "digits": ["6"], "period": ["30"]}
