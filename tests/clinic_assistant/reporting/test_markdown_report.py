"""summary.md has the figures as Markdown tables, with patient text escaped."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from clinic_assistant.reporting.markdown_report import cell, render_markdown
from clinic_assistant.reporting.report import build_report


def test_totals_days_and_groups_are_tables(sample_report):
    text = render_markdown(sample_report)
    assert "| Conversations | 2 |" in text and "| User messages | 6 |" in text
    assert "| Red flags raised | 1 |" in text and "| Requests for a person | 1 |" in text
    assert "| Answers rated unhelpful | 1 |" in text
    assert "| 2026-03-01 | 1 | 3 | 2 | 0 | 1 |" in text
    assert "| 2026-03-02 | 0 | 0 | 0 | 0 | 0 |" in text
    assert ("| 1 | what's the wifi password; what's the wifi password please | 2 | 1 | 2 | 0 | 0"
            " | 2026-03-01 / 2026-03-01 |") in text
    name = sample_report.names
    assert f"| {name('request_human')} | 1 | 1 |" in text
    assert f"| {name('faq_cost')} | 0 | 1 | I can't feel my legs, call [phone] |" in text
    assert "request_human" not in text and "faq_cost" not in text and "nlu_fallback" not in text


def test_patient_text_cannot_break_the_table_or_make_markup():
    escaped = cell('<script>x</script> | *a* [l](javascript:y) ![i][r] _i_ faq_cost\nnext')
    assert escaped == ("\\<script\\>x\\</script\\> \\| \\*a\\* [l\\](javascript:y) ![i\\][r] "
                       "\\_i\\_ faq_cost next")


def test_the_audience_is_stated(sample_report):
    text = render_markdown(sample_report)
    assert "only for clinic staff" in text and "patient records" in text
    assert "07700" not in text


def test_empty_sections_say_so(encode):
    report = build_report([], encode=encode, tz=timezone.utc,
                          generated_at=datetime(2026, 3, 4, tzinfo=timezone.utc))
    text = render_markdown(report)
    assert "| Conversations | 0 |" in text and "no messages" in text
    assert text.count("None in this period.") == 5  # days, intents, groups, red flags, ratings


@pytest.mark.parametrize("unit", ["_", "a_", "_a", "]", "](", "][", "\\", "* ", "|<>", " \n"])
def test_escaping_time_grows_linearly(unit):
    """Sixteen times the text takes about sixteen times as long, whatever the characters."""
    from tests.linear_time import MAX_RATIO, growth_ratio

    assert growth_ratio(cell, unit) < MAX_RATIO
