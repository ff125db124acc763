"""Reading the conversation: misses in a row and spine levels."""

from __future__ import annotations

import pytest

from clinic_assistant.conversation import consecutive_misses, normalise_spine_level, spine_levels
from tests.conftest import user_event


def test_consecutive_misses_counts_back_to_the_last_understood_message(make_tracker):
    earlier = [user_event("a", "faq_cost"), user_event("b", "out_of_scope"),
               user_event("c", "nlu_fallback")]
    assert consecutive_misses(make_tracker("d", "none_of_these", earlier=earlier)) == 3
    assert consecutive_misses(make_tracker("d", "faq_cost", earlier=earlier)) == 0


@pytest.mark.parametrize("raw, level", [("l5/s1", "L5-S1"), ("L4 L5", "L4-L5"),
                                        ("L5\u2013S1", "L5-S1"), ("c5-6", "C5-6")])
def test_spine_levels_are_written_the_usual_way(raw, level):
    assert normalise_spine_level(raw) == level


def test_spine_levels_are_deduplicated_in_order(make_tracker):
    entities = [{"entity": "spine_level", "value": "L4/L5"},
                {"entity": "cell_source", "value": "bone marrow"},
                {"entity": "spine_level", "value": "l4-l5"},
                {"entity": "spine_level", "value": "L5-S1"}]
    assert spine_levels(make_tracker("x", "faq_cost", entities=entities)) == ["L4-L5", "L5-S1"]
