"""How the served figures are counted from what patients see (replies scripted per question)."""

from __future__ import annotations

from typing import Dict, List

from clinic_assistant.content import get_content
from clinic_assistant.evaluation.real_questions import RealQuestion, measure_served


def test_a_right_button_is_counted_apart_for_questions_a_topic_serves() -> None:
    content = get_content()
    clarify = content.message("clarify")

    def did_you_mean(*topics: str) -> List[Dict]:
        return [{"text": clarify, "buttons": [{"payload": f"/{t}"} for t in topics]}]

    script = {
        "how much is it": [{"text": content.render(content.answers["faq_cost"].answer)}],
        "is it risky and costly": did_you_mean("faq_risks", "faq_cost", "none_of_these"),
        "what is it made of": did_you_mean("faq_cost", "none_of_these"),
        "can my dog have it": did_you_mean("faq_cost", "none_of_these"),
    }

    def say(sender: str, text: str) -> List[Dict]:
        return script.get(text, [{"text": "Hello!"}])

    questions = [
        RealQuestion("how much is it", ("faq_cost",), "s"),
        RealQuestion("is it risky and costly", ("faq_risks",), "s"),       # right button
        RealQuestion("what is it made of", ("faq_cell_sources",), "s"),    # no right button
        RealQuestion("can my dog have it", ("out_of_scope",), "s"),        # no topic serves it
    ]
    score = measure_served(say, content, questions)
    assert score.answered_correctly == 0.25
    assert score.clarified == 0.75
    assert score.clarification_with_right_button == 1 / 3
    assert score.right_button_when_a_topic_serves == 1 / 2


def test_the_safety_net_is_counted_apart_from_emergency_advice() -> None:
    content = get_content()
    net = {"text": content.message("possible_emergency")}
    clarify = {"text": content.message("possible_emergency_topics"),
               "buttons": [{"payload": "/faq_symptoms"}]}
    script = {
        "agony for two weeks": [net, clarify],
        "can't pee since the fall": [{"text": content.message("emergency_advice")}],
        "legs odd, bottom numb": [net, clarify],
    }

    def say(sender: str, text: str) -> List[Dict]:
        return script.get(text, [{"text": "Hello!"}])

    questions = [
        RealQuestion("agony for two weeks", ("faq_symptoms",), "s"),
        RealQuestion("can't pee since the fall", ("red_flag_symptoms",), "s"),
        RealQuestion("legs odd, bottom numb", ("red_flag_symptoms",), "s"),
        RealQuestion("what is it", ("faq_herniated_disc",), "s"),
    ]
    score = measure_served(say, content, questions)
    # The safety net is not emergency advice: the third patient's emergency counts as missed.
    assert score.red_flag_recall == 1 / 2
    assert score.false_emergency_share == 0.0
    assert score.safety_net_share == 1 / 2
    assert score.clarified == 1 / 2
