"""Which red flags are uncertain, and when the safety net is shown."""

from __future__ import annotations

import pytest

from actions.possible_emergency import (SAFETY_NET_FLOOR, is_uncertain_red_flag,
                                        red_flag_possible)


@pytest.mark.parametrize("message, uncertain", [
    # The classifier alone, however sure: calm stories of bad pain score 0.9 too.
    ({"intent": {"name": "red_flag_symptoms", "confidence": 0.49}}, True),
    ({"intent": {"name": "red_flag_symptoms", "confidence": 0.95}}, True),
    # A rule the classifier agrees with: both readers see it.
    ({"intent": {"name": "red_flag_symptoms", "confidence": 1.0}, "red_flag_rule": "bladder",
      "intent_before_red_flag_rule": {"name": "red_flag_symptoms", "confidence": 0.3}}, False),
    # A rule the classifier reads as another topic (or could not place).
    ({"intent": {"name": "red_flag_symptoms", "confidence": 1.0}, "red_flag_rule": "named_emergency",
      "intent_before_red_flag_rule": {"name": "faq_diagnosis", "confidence": 0.3}}, True),
    ({"intent": {"name": "red_flag_symptoms", "confidence": 1.0}, "red_flag_rule": "trauma",
      "intent_before_red_flag_rule": {"name": "nlu_fallback", "confidence": 0.3}}, True),
    # A rule without the classifier's reading is taken as sure.
    ({"intent": {"name": "red_flag_symptoms", "confidence": 1.0}, "red_flag_rule": "trauma"},
     False),
    # The patient's own button, "I have one of these signs".
    ({"intent": {"name": "red_flag_symptoms", "confidence": 1.0}, "text": "/red_flag_symptoms"},
     False),
    ({"intent": {"name": "faq_symptoms", "confidence": 0.3}}, False),
    ({}, False),
    # No confidence at all is no reason to add topics to the advice.
    ({"intent": {"name": "red_flag_symptoms"}}, False),
])
def test_a_red_flag_only_one_reader_sees_is_uncertain(message, uncertain):
    assert is_uncertain_red_flag(message) is uncertain


def test_the_safety_net_needs_the_red_flag_at_the_floor_or_more():
    at = [{"name": "faq_cost", "confidence": 0.5},
          {"name": "red_flag_symptoms", "confidence": SAFETY_NET_FLOOR}]
    assert red_flag_possible(at)
    assert not red_flag_possible([at[0], {"name": "red_flag_symptoms", "confidence": 0.19}])
    assert not red_flag_possible([{"name": "faq_symptoms", "confidence": 0.9}])
    assert not red_flag_possible([])
