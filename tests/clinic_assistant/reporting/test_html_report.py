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
