"""Long patient messages are shortened at a word, in linear time."""

from __future__ import annotations

import time

import pytest

from clinic_assistant.reporting.texts import ELLIPSIS, SHOWN_CHARACTERS, shorten


def test_a_short_message_is_shown_whole_on_one_line():
    assert shorten("where do I\n\npark   my car?") == "where do I park my car?"


def test_a_long_message_is_cut_after_a_whole_word():
    text = "my back hurts when I sit " * 40
    shown = shorten(text)
    assert shown.endswith(ELLIPSIS) and len(shown) <= SHOWN_CHARACTERS + 1
    assert text.startswith(shown[:-1]) and shown[:-1].split()[-1] in text.split()


def test_one_endless_word_is_cut_inside_it():
    assert shorten("x" * 5000) == "x" * SHOWN_CHARACTERS + ELLIPSIS


def test_white_space_before_the_words_does_not_hide_them():
    assert shorten(" " * 5000 + "hello") == "hello"


@pytest.mark.parametrize("unit", ["ab ", "a", " ", "\n\t", "word, "])
def test_five_million_characters_take_no_time(unit):
    text = unit * (5_000_000 // len(unit))
    started = time.perf_counter()
    shorten(text)
    seconds = time.perf_counter() - started
    print(f"shorten {unit!r} x {len(text):,} characters: {seconds:.3f} s")
    assert seconds < 10, "hang guard only"


@pytest.mark.parametrize("unit", ["a", "a ", " ", "\n\n", "é "])
def test_shortening_time_grows_linearly(unit):
    from tests.linear_time import MAX_RATIO, growth_ratio

    assert growth_ratio(shorten, unit, chars=50_000) < MAX_RATIO
