"""YAML texts are parsed once a process, and nobody sees another caller's changes or a stale file."""

from __future__ import annotations

import pytest
import yaml

from clinic_assistant.yaml_cache import parse_yaml


class Parses(list):
    loaders: list

    def __init__(self) -> None:
        super().__init__()
        self.loaders = []


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list:
    """Every text the real loader is asked to parse, in order (`.loaders`: with which loader)."""
    seen = Parses()
    real_load = yaml.load

    def counted(text, Loader):
        seen.append(text)
        seen.loaders.append(Loader)
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
    if yaml.__with_libyaml__:  # parsed by libyaml, with the loader's own constructors
        from yaml._yaml import CParser

        assert {loader.__mro__[1:3] for loader in parses.loaders} == {
            (CParser, yaml.SafeLoader)}


def test_each_caller_gets_its_own_copy(parses):
    text = "rules: [a, b]  # test_each_caller_gets_its_own_copy\n"
    first = parse_yaml(text)
    first["rules"].append("changed by the first caller")
    assert parse_yaml(text) == {"rules": ["a", "b"]}


@pytest.mark.parametrize("text", [
    "key: [unclosed\n",
    "answers:\n  faq_cost:\n    title: Cost\n   answer: misaligned\n",
    "key: value\n\tindented: with a tab\n",
    "key: 'unclosed quote\n",
])
def test_a_broken_text_raises_the_python_loaders_own_error_every_time(text):
    with pytest.raises(yaml.YAMLError) as expected:
        yaml.load(text, Loader=yaml.SafeLoader)
    for _ in range(2):
        with pytest.raises(yaml.YAMLError) as raised:
            parse_yaml(text)
        assert str(raised.value) == str(expected.value)


def test_a_duplicate_key_is_found_on_the_same_line_as_before():
    from clinic_assistant.yaml_files import _DuplicateKey, _UniqueKeyLoader

    text = "answers:\n  faq_cost: 1\n  faq_risks: 2\n  faq_cost: 3\n"
    with pytest.raises(_DuplicateKey) as raised:
        parse_yaml(text, _UniqueKeyLoader)
    assert (raised.value.key, raised.value.problem_mark.line) == ("faq_cost", 3)


@pytest.mark.parametrize("name", ["answers.yml", "messages.yml", "clinic.yml",
                                  "source_policy.yml"])
def test_the_content_files_give_the_same_data_as_pyyamls_own_parser(project_root, name):
    from clinic_assistant.yaml_files import _UniqueKeyLoader

    text = (project_root / "content" / name).read_text(encoding="utf-8")
    for loader in (yaml.SafeLoader, _UniqueKeyLoader):
        assert parse_yaml(text, loader) == yaml.load(text, Loader=loader)


def test_each_loader_has_its_own_entry(parses):
    class Shouting(yaml.SafeLoader):
        pass

    Shouting.add_constructor("tag:yaml.org,2002:str",
                             lambda loader, node: loader.construct_scalar(node).upper())
    text = "word: quiet  # test_each_loader_has_its_own_entry\n"
    assert parse_yaml(text) == {"word": "quiet"}
    assert parse_yaml(text, Shouting) == {"WORD": "QUIET"}
    assert len(parses) == 2
