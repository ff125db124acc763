"""Splitting long messages into the sentences that ask something."""

from __future__ import annotations

import time

from clinic_assistant.nlu.segments import question_segments, sentences


def test_a_story_is_read_by_its_questions():
    text = ("I'm 52 and my MRI says L5-S1 extrusion with nerve root contact. My surgeon wants to "
            "operate next month. Is stem cell therapy an option for me? And how much would it cost?")
    assert question_segments(text) == ["Is stem cell therapy an option for me?",
                                       "And how much would it cost?"]


def test_without_a_question_mark_every_sentence_counts():
    text = "Disc bulge at L4-L5 on my scan. Pain down my left leg for six weeks now."
    assert question_segments(text) == ["Disc bulge at L4-L5 on my scan.",
                                       "Pain down my left leg for six weeks now."]


def test_short_bits_are_no_questions_and_the_last_questions_are_kept():
    text = "Hi! " + " ".join(f"Question number {n} here?" for n in range(10))
    found = question_segments(text, max_segments=3)
    assert found == [f"Question number {n} here?" for n in (7, 8, 9)]
    assert "Hi!" not in sentences(text)


def test_splitting_is_linear_on_hostile_input():
    for text in ("a" * 200_000, "?" * 200_000, "a." * 100_000, "\n" * 200_000):
        started = time.perf_counter()
        sentences(text)
        assert time.perf_counter() - started < 1.0
