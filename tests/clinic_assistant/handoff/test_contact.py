"""What patients type into the call-back form: name, phone or email, time, reason."""

from __future__ import annotations

import pytest

from clinic_assistant.handoff.contact import (
    MAX_NAME,
    MAX_REASON,
    check_contact,
    check_free_text,
    check_name,
    contact_kind,
)


@pytest.mark.parametrize("text, value", [
    ("+1 555 010 2030", "+15550102030"),
    ("(555) 010-2030", "5550102030"),
    ("555.010.2030.", "5550102030"),
    ("  0044 20 7946 0958 ", "00442079460958"),
    ("555-0102", "5550102"),
    ("+123456789012345", "+123456789012345"),
])
def test_good_phone_numbers_are_kept_as_digits(text: str, value: str) -> None:
    """Separators go, a leading + stays."""
    checked = check_contact(text)
    assert (checked.value, checked.problem) == (value, None)
    assert contact_kind(checked.value) == "phone"


@pytest.mark.parametrize("text, problem", [
    ("555 010", "callback_phone_invalid"),                  # 6 digits
    ("+1234567890123456", "callback_phone_invalid"),        # 16 digits
    ("---", "callback_phone_invalid"),
    ("call me maybe", "callback_contact_invalid"),
    ("555 010 2030 ext. 4", "callback_contact_invalid"),
    ("", "callback_contact_invalid"),
    ("...", "callback_contact_invalid"),
    ("<script>alert(1)</script>", "callback_contact_invalid"),
])
def test_bad_phone_numbers_say_what_to_fix(text: str, problem: str) -> None:
    """Too few or too many digits, or not a number at all."""
    assert check_contact(text).problem == problem
    assert check_contact(text).value is None


@pytest.mark.parametrize("text, value", [
    ("sam@example.com", "sam@example.com"),
    ("  Sam.Jones+clinic@Mail.Example.ORG. ", "sam.jones+clinic@mail.example.org"),
])
def test_good_emails_are_lower_cased(text: str, value: str) -> None:
    """Case and surrounding space and full stop are dropped."""
    checked = check_contact(text)
    assert (checked.value, checked.problem) == (value, None)
    assert contact_kind(checked.value) == "email"


@pytest.mark.parametrize("text", [
    "sam@example", "sam@@example.com", "@example.com", "sam@", "sam jones@example.com",
    "<sam>@example.com", "sam@example.c", "a@b@example.com",
    "x" * 250 + "@example.com",
])
def test_bad_emails_say_what_to_fix(text: str) -> None:
    """Anything with an @ that is not a plain address gets the email message."""
    assert check_contact(text).problem == "callback_email_invalid"


@pytest.mark.parametrize("text, value", [
    ("Sam", "Sam"), ("  Sam   Jones ", "Sam Jones"), ("José Ñúñez", "José Ñúñez"),
    ("O'Brien-Smith", "O'Brien-Smith"), ("x" * MAX_NAME, "x" * MAX_NAME),
])
def test_good_names(text: str, value: str) -> None:
    """Spacing is tidied; accents and apostrophes are fine."""
    assert check_name(text).value == value


@pytest.mark.parametrize("text, problem", [
    ("", "callback_name_missing"), ("   ", "callback_name_missing"),
    ("12345", "callback_name_missing"), ("?!", "callback_name_missing"),
    ("<b>Sam</b>", "callback_name_invalid"), ("Sam <script>", "callback_name_invalid"),
    ("x" * (MAX_NAME + 1), "callback_name_invalid"),
])
def test_bad_names(text: str, problem: str) -> None:
    """No letters: missing; markup or too long: invalid."""
    checked = check_name(text)
    assert (checked.value, checked.problem) == (None, problem)


def test_free_text_is_tidied_and_limited() -> None:
    """Empty and over-long text are refused with the given message key."""
    assert check_free_text("  after \n 5 pm ", 120, "late").value == "after 5 pm"
    assert check_free_text("x" * MAX_REASON, MAX_REASON, "long").value == "x" * MAX_REASON
    assert check_free_text("x" * (MAX_REASON + 1), MAX_REASON, "long").problem == "long"
    assert check_free_text(" \n ", 120, "empty").problem == "empty"
