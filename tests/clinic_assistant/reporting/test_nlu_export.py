"""unanswered.yml is Rasa NLU training data that Rasa itself loads."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.loading import load_data

from clinic_assistant.reporting.nlu_export import LABEL_INTENT, render_nlu_yaml, training_examples


@pytest.fixture
def load(tmp_path):
    def load_yaml(text):
        path = tmp_path / "unanswered.yml"
        path.write_text(text, encoding="utf-8")
        return [(m.get("intent"), m.get("text"), m.get("entities"))
                for m in load_data(str(path)).training_examples]

    return load_yaml


def test_messages_load_as_examples_of_one_intent(load):
    examples = load(render_nlu_yaml(["what's the wifi password", "can I have the wi-fi password"]))
    assert examples == [(LABEL_INTENT, "what's the wifi password", None),
                        (LABEL_INTENT, "can I have the wi-fi password", None)]


def test_buttons_blanks_and_repeats_are_left_out(load):
    texts = ["/none_of_these", "", "   ", "knee replacement?", "Knee  replacement", "knee"]
    assert [t for _, t, _ in load(render_nlu_yaml(texts))] == ["knee replacement?", "knee"]


def test_awkward_text_stays_one_plain_example(load):
    texts = ["call me on [phone] or [email]", "[x](y) and [a]{\"entity\": \"b\"}",
             "line one\nline two\ttab", "# not a comment", "- a dash", "key: value",
             "'quotes' \"double\"", "emoji \U0001F62B", "nul\x00 and bom\ufeff"]
    loaded = load(render_nlu_yaml(texts))
    assert [t for _, t, _ in loaded] == [
        "call me on [phone] or [email]", "[x] (y) and [a] {\"entity\": \"b\"}",
        "line one line two tab", "# not a comment", "- a dash", "key: value",
        "'quotes' \"double\"", "emoji \U0001F62B", "nul and bom",
    ]
    assert all(entities is None for _, _, entities in loaded)


def test_the_header_tells_staff_what_to_do():
    text = render_nlu_yaml(["anything"])
    assert 'version: "3.1"' in text and "data/nlu/" in text and "tests/nlu/heldout.yml" in text
    assert "delete" in text.lower()


def test_nothing_to_label_still_loads(load):
    assert load(render_nlu_yaml(["/greet"])) == []


@pytest.mark.parametrize("unit", ["](", "]{", "][", "]", "\x00", "\ufeff", "a ", "\u2028"])
def test_example_time_grows_linearly(unit):
    """Sixteen times the text takes about sixteen times as long, whatever the characters."""
    from tests.linear_time import MAX_RATIO, growth_ratio

    assert growth_ratio(lambda text: training_examples([text]), unit) < MAX_RATIO


def test_a_huge_message_becomes_one_example_of_at_most_1000_characters():
    [line] = training_examples(["where can I park " * 100_000])
    assert line.startswith("where can I park") and line.endswith("…") and len(line) <= 1001
