"""Pattern-file patterns are bounded, and still match what staff wrote them for."""

from __future__ import annotations

from clinic_assistant.patterns import bounded, compile_pattern


def test_word_repeats_and_gaps_are_bounded():
    assert bounded(r"numb\w*\W+{W2}legs") == r"numb\w{0,30}\W{1,8}(?:\w{1,30}\W{1,8}){0,2}legs"
    assert "*" not in bounded(r"\w*\W*") and "+" not in bounded(r"\w+\W+")


def test_bounded_patterns_match_ordinary_sentences():
    pattern = compile_pattern(r"(numb\w*|weak\w*)\W+{W4}(legs|feet)")
    assert pattern.search("numbness, tingling in both legs")
    assert pattern.search("WEAKNESS in my feet")
    assert not pattern.search("numbness that started in my arm and hand, not in the legs")
