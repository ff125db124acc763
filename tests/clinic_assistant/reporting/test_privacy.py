"""Phone numbers and email addresses are removed; ordinary figures stay."""

from __future__ import annotations

import pytest

from clinic_assistant.reporting.privacy import redact


@pytest.mark.parametrize("text, expected", [
    ("call me on 07700 900123", "call me on [phone]"),
    ("my number: +1 (555) 010-2030, thanks", "my number: [phone], thanks"),
    ("ring 555-010-2030 or 555.010.2030", "ring [phone] or [phone]"),
    ("+44 7700 900123", "[phone]"),
    ("(555) 010 2030 after 5pm", "[phone] after 5pm"),
    ("07700900123", "[phone]"),
    ("jane.doe@example.com", "[email]"),
    ("write to J.Doe+clinic@mail.example.co.uk please", "write to [email] please"),
    ("email jane.doe@example.com or call 07700 900123",
     "email [email] or call [phone]"),
])
def test_phone_numbers_and_emails_are_replaced(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text", [
    "my MRI says L5-S1 extrusion",
    "I'm 45 and had 3 injections in 2019",
    "does it cost $5,000 or 8000 dollars",
    "pain is 7/10 since 2 weeks",
    "L4/L5 and C5-C6 bulges",
    "what is a herniated disc?",
])
def test_ordinary_figures_are_kept(text):
    assert redact(text) == text


def test_nothing_of_the_number_or_address_is_left():
    text = redact("I'm Jane (jane_doe-77@example.org), mobile +49 151 2345 6789.")
    assert "jane_doe" not in text and "example.org" not in text
    assert "151" not in text and "6789" not in text


def test_email_scan_finds_what_the_plain_pattern_finds():
    """The linear scan agrees with the textbook pattern on thousands of tricky strings."""
    import random
    import re

    from clinic_assistant.reporting.privacy import EMAIL_MARK, redact_emails

    pattern = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+")
    generator = random.Random(7)
    alphabet = "ab1_.-+%@ é\n"
    for _ in range(20_000):
        text = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 24)))
        assert redact_emails(text) == pattern.sub(EMAIL_MARK, text), repr(text)


@pytest.mark.parametrize("unit", ["a", "a.", "a@", "1 ", "a@b.", "-@"])
def test_redaction_time_grows_linearly(unit):
    """Sixteen times the text takes about sixteen times as long: the report cannot hang on a
    huge message (80,000 letters took 26 s with the old pattern, a quadratic backtrack)."""
    from tests.linear_time import MAX_RATIO, growth_ratio

    assert growth_ratio(redact, unit) < MAX_RATIO
