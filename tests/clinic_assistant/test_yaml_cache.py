"""YAML texts are parsed once a process, and nobody sees another caller's changes or a stale file."""

from __future__ import annotations

import pytest
import yaml

from clinic_assistant.yaml_cache import parse_yaml


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list:
    """Every text the real loader is asked to parse, in order."""
    seen = []
    real_load = yaml.load

    def counted(text, Loader):
        seen.append(text)
        return real_load(text, Loader=Loader)

    monkeypatch.setattr(yaml, "load", counted)
    return seen


def test_the_same_text_is_parsed_once_and_an_edited_one_again(parses):
    text = "answers:\n  faq_cost: {title: Cost, marker: test_the_same_text}\n"
    assert parse_yaml(text) == parse_yaml(text) == {
        "answers": {"faq_cost": {"title": "Cost", "marker": "test_the_same_text"}}}
    edited = text.replace("Cost", "Prices")
    assert parse_yaml(edited)["answers"]["faq_cost"]["title"] == "Prices"
    assert parses == [text, edited]


def test_each_caller_gets_its_own_copy(parses):
    text = "rules: [a, b]  # test_each_caller_gets_its_own_copy\n"
    first = parse_yaml(text)
    first["rules"].append("changed by the first caller")
    assert parse_yaml(text) == {"rules": ["a", "b"]}


def test_a_broken_text_raises_every_time(parses):
    text = "key: [unclosed  # test_a_broken_text_raises_every_time\n"
    for _ in range(2):
        with pytest.raises(yaml.YAMLError):
            parse_yaml(text)
    assert len(parses) == 2


def test_each_loader_has_its_own_entry(parses):
    class Shouting(yaml.SafeLoader):
        pass

    Shouting.add_constructor("tag:yaml.org,2002:str",
                             lambda loader, node: loader.construct_scalar(node).upper())
    text = "word: quiet  # test_each_loader_has_its_own_entry\n"
    assert parse_yaml(text) == {"word": "quiet"}
    assert parse_yaml(text, Shouting) == {"WORD": "QUIET"}
    assert len(parses) == 2
