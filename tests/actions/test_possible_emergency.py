"""Which red flags are uncertain, and when the safety net is shown."""

from __future__ import annotations

import pytest

from actions.possible_emergency import (CERTAIN_RED_FLAG_CONFIDENCE, SAFETY_NET_FLOOR,
                                        is_uncertain_red_flag, red_flag_possible)


@pytest.mark.parametrize("message, uncertain", [
    ({"intent": {"name": "red_flag_symptoms", "confidence": 0.49}}, True),
    ({"intent": {"name": "red_flag_symptoms", "confidence": CERTAIN_RED_FLAG_CONFIDENCE}}, False),
    ({"intent": {"name": "red_flag_symptoms", "confidence": 1.0}, "red_flag_rule": "bladder"},
     False),
    # A rule forces full confidence; the key alone also decides, whatever the confidence says.
    ({"intent": {"name": "red_flag_symptoms", "confidence": 0.3}, "red_flag_rule": "trauma"},
     False),
    ({"intent": {"name": "faq_symptoms", "confidence": 0.3}}, False),
    ({}, False),
    # No confidence at all is no reason to add topics to the advice.
    ({"intent": {"name": "red_flag_symptoms"}}, False),
])
def test_only_a_classifier_red_flag_below_the_certain_confidence_is_uncertain(message, uncertain):
    assert is_uncertain_red_flag(message) is uncertain


def test_the_safety_net_needs_the_red_flag_at_the_floor_or_more():
    at = [{"name": "faq_cost", "confidence": 0.5},
          {"name": "red_flag_symptoms", "confidence": SAFETY_NET_FLOOR}]
    assert red_flag_possible(at)
    assert not red_flag_possible([at[0], {"name": "red_flag_symptoms", "confidence": 0.19}])
    assert not red_flag_possible([{"name": "faq_symptoms", "confidence": 0.9}])
    assert not red_flag_possible([])
