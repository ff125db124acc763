"""Charts are well-formed SVG with escaped labels."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from clinic_assistant.reporting.svg_charts import bar_chart, column_chart

SVG = "{http://www.w3.org/2000/svg}"


def test_column_chart_draws_a_bar_per_value_and_series():
    svg = column_chart(["2026-03-01", "2026-03-02"], [("a", [1, 3], "#000"), ("b", [0, 2], "#111")],
                       "Per day <&>")
    root = ET.fromstring(svg)
    assert len(root.findall(f"{SVG}rect")) == 2 + 4  # legend + bars
    assert root.find(f"{SVG}title").text == "Per day <&>"


def test_bar_chart_escapes_labels_and_handles_no_data():
    root = ET.fromstring(bar_chart([("<b>faq</b>", 5), ("greet", 0)], "Intents"))
    assert [t.text for t in root.findall(f"{SVG}text")][:2] == ["<b>faq</b>", "5"]
    assert "No data" in bar_chart([], "Intents")


def test_a_long_topic_title_is_shortened_in_the_chart_and_whole_in_its_tooltip():
    title = "Exercise, sport and work with a disc problem when you are over sixty"
    root = ET.fromstring(bar_chart([(title, 3)], "Topics"))
    label = root.findall(f"{SVG}text")[0]
    assert label.text.endswith("…") and len(label.text) <= 43
    assert label.find(f"{SVG}title").text == title
