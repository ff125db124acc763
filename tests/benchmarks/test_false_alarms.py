"""The false-alarm measurement names where emergency advice came from and counts it right."""

from __future__ import annotations

from benchmarks.false_alarms import Alarm, alarm_source, questions_of, report


def test_the_source_is_the_rule_that_fired_or_the_classifier():
    ruled = {"intent": {"name": "red_flag_symptoms", "confidence": 1.0},
             "red_flag_rule": "bladder",
             "intent_before_red_flag_rule": {"name": "faq_symptoms", "confidence": 0.6}}
    assert alarm_source(ruled) == "rule bladder; classifier: faq_symptoms"
    assert alarm_source({"intent": {"name": "red_flag_symptoms"}}) == "classifier"
    assert alarm_source({"intent": {"name": "faq_cost"}}).startswith("other")


def test_the_report_lists_false_alarms_and_misses_and_counts_them():
    alarms = [Alarm("numb groin", True, True, "rule saddle_numbness"),
              Alarm("numb and odd down below", True, False, "", safety_net=True),
              Alarm("what does it cost", False, False, ""),
              Alarm("my sciatica is awful", False, True, "classifier"),
              Alarm("agony for weeks", False, False, "", safety_net=True),
              Alarm("is it safe", False, False, "")]
    lines = report(alarms)
    assert lines[0] == "FALSE ALARM (classifier): 'my sciatica is awful'"
    assert lines[1] == "MISSED EMERGENCY: 'numb and odd down below'"
    assert lines[2] == "SAFETY NET ONLY FOR AN EMERGENCY: 'numb and odd down below'"
    assert lines[-1] == ("emergencies 2, recall 0.500; others 4, false alarms 1 (25.0%), shown "
                         "the warning signs before \"did you mean\" 1")


def test_the_written_part_holds_only_emergencies(project_root):
    written = questions_of(project_root, "written")
    assert len(written) >= 60 and all(q.is_red_flag for q in written)
    assert "bilateral sciatica started this week" in [q.text for q in written]
