"""A project YAML file is read one way: a key twice, invalid YAML, a missing file or no mapping
is one ContentError that names the file, the line and what to do."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from clinic_assistant import content
from clinic_assistant.yaml_files import ContentError, read_yaml_file


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_reads_as_plain_yaml_does(project_root):
    path = project_root / "content" / "handoff.yml"
    assert read_yaml_file(path) == yaml.safe_load(path.read_text(encoding="utf-8"))


def test_a_key_twice_names_the_file_the_key_and_the_second_line(tmp_path):
    path = write(tmp_path / "content" / "scope.yml",
                 "groups:\n  animals:\n    any: [dog]\n  knees:\n    any: [knee]\n"
                 "  animals:\n    any: [cat]\n")
    with pytest.raises(ContentError) as raised:
        read_yaml_file(path, tmp_path)
    assert raised.value.file == "content/scope.yml"
    assert raised.value.entry == "animals"
    assert str(raised.value) == (
        "content/scope.yml, entry 'animals': appears twice (the second time on line 6). Each "
        "entry may appear only once: merge the two or rename one.")


def test_a_key_twice_inside_a_list_item_is_refused_too(tmp_path):
    path = write(tmp_path / "faq_cost.yml",
                 "nlu:\n- intent: faq_cost\n  examples: |\n    - a\n  intent: faq_risks\n")
    with pytest.raises(ContentError, match=r"entry 'intent': appears twice \(the second time "
                                           r"on line 5\)"):
        read_yaml_file(path)


def test_invalid_yaml_names_the_file_and_the_line(tmp_path):
    path = write(tmp_path / "content" / "handoff.yml", "handoff:\n  staff_hours: [unclosed\n")
    with pytest.raises(ContentError) as raised:
        read_yaml_file(path, tmp_path)
    assert raised.value.file == "content/handoff.yml"
    assert raised.value.entry is None
    assert raised.value.problem.startswith(
        "not valid YAML near line 3: check the indentation (spaces, not tabs), the dashes and "
        "any quotes (")


def test_a_missing_file_says_to_restore_it(tmp_path):
    with pytest.raises(ContentError, match=r"^content/red_flags.yml: file not found\. Restore "
                                           r"it from git"):
        read_yaml_file(tmp_path / "content" / "red_flags.yml", tmp_path)


def test_a_file_outside_the_root_keeps_its_own_path(tmp_path):
    path = write(tmp_path / "a.yml", "[1, 2]\n")
    with pytest.raises(ContentError) as raised:
        read_yaml_file(path, tmp_path / "elsewhere", mapping=True)
    assert raised.value.file == str(path)
    assert raised.value.problem == "must contain a mapping at the top level."


def test_a_list_is_fine_where_no_mapping_is_required(tmp_path):
    assert read_yaml_file(write(tmp_path / "a.yml", "- text: hi\n")) == [{"text": "hi"}]


@pytest.mark.parametrize("text", ["", "# only a comment\n"])
def test_an_empty_file_is_none_or_an_empty_mapping(tmp_path, text):
    path = write(tmp_path / "a.yml", text)
    assert read_yaml_file(path) is None
    assert read_yaml_file(path, mapping=True) == {}


def test_a_file_that_is_not_text_is_refused_kindly(tmp_path):
    path = tmp_path / "a.yml"
    path.write_bytes(b"key: \xff\xfe\n")
    with pytest.raises(ContentError, match="cannot be read .*Save it as UTF-8 text"):
        read_yaml_file(path)


def test_the_content_module_still_offers_the_same_error_type():
    assert content.ContentError is ContentError
    assert issubclass(ContentError, ValueError)
