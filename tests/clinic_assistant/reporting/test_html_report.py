"""report.html is one self-contained page with inline SVG charts and escaped patient text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from clinic_assistant.reporting.html_report import render_html

from .conftest import HOSTILE


class Tags(HTMLParser):
    """Collects tag names and attribute values."""

    def __init__(self) -> None:
        super().__init__()
        self.tags, self.attributes = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [value or "" for _, value in attrs]


def parse(html: str) -> Tags:
    tags = Tags()
    tags.feed(html)
    return tags


def test_patient_text_is_escaped(sample_report):
    html = render_html(sample_report)
    assert "<script" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "script" not in parse(html).tags


def test_the_page_loads_nothing_from_elsewhere(sample_report):
    tags = parse(render_html(sample_report))
    assert not {"script", "link", "img", "iframe", "object"} & set(tags.tags)
    assert not [a for a in tags.attributes if re.match(r"(https?:)?//", a)
                and a != "http://www.w3.org/2000/svg"]
    assert "default-src 'none'" in render_html(sample_report)


def test_it_has_the_charts_and_every_section(sample_report):
    html = render_html(sample_report)
    assert html.count("<svg") == 2
    for heading in ("Totals", "Conversations and messages per day", "What patients asked about",
                    "Unanswered questions, grouped by similarity", "Red flags raised",
                    "Requests for a person", "Answer ratings"):
        assert f"<h2>{heading}</h2>" in html
    assert "what&#x27;s the wifi password" in html and "07700" not in html
    assert HOSTILE not in html


def test_only_the_50_largest_groups_are_listed_and_the_page_says_so(events_table, encode):
    from datetime import datetime, timezone

    from clinic_assistant.reporting.markdown_report import render_markdown
    from clinic_assistant.reporting.report import build_report
    from clinic_assistant.reporting.tracker_events import read_user_messages, sqlite_url

    from .conftest import at

    for n in range(60):
        events_table.user(f"s{n}", f"word{n} is my question", "nlu_fallback", at(1, 9, n % 60))
    report = build_report(read_user_messages(sqlite_url(events_table.path)), encode=encode,
                          tz=timezone.utc, generated_at=datetime(2026, 3, 2, tzinfo=timezone.utc))
    html, markdown = render_html(report), render_markdown(report)
    note = "Showing the 50 largest of 60 groups; the other 10 have 10 messages in all."
    assert note in html and note in markdown
    assert "word49 is" in html and "word50 is" not in html
    assert "word50 is" not in markdown
