"""benchmarks.served: the report names every figure of what patients saw."""

from __future__ import annotations

from benchmarks.served import report
from clinic_assistant.evaluation.real_questions import ServedScore


def test_the_report_prints_each_figure_by_its_name():
    score = ServedScore(total=4, answered_correctly=0.5, clarified=0.25,
                        clarification_with_right_button=1.0, right_button_when_a_topic_serves=1.0,
                        red_flag_recall=1.0, false_emergency_share=0.0, off_topic_given_topic=2,
                        safety_net_share=0.0)
    lines = report("dev", score)
    assert lines[0] == "dev: 4 questions"
    assert "  answered_correctly: 0.500" in lines
    assert "  clarified: 0.250" in lines
    assert "  off_topic_given_topic: 2" in lines
    assert len(lines) == 1 + 8
