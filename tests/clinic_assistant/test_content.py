"""The content loader reads the real files and names file, entry and fix on bad edits."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from clinic_assistant.content import ContentError, load_content


@pytest.fixture
def content_copy(tmp_path: Path, project_root: Path) -> Path:
    """A writable copy of the content folder."""
    target = tmp_path / "content"
    shutil.copytree(project_root / "content", target)
    return target


def edit_answer(folder: Path, intent: str, **changes) -> None:
    path = folder / "answers.yml"
    data = yaml.safe_load(path.read_text())
    for key, value in changes.items():
        if value is None:
            data["answers"][intent].pop(key, None)
        else:
            data["answers"][intent][key] = value
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_real_content_loads_and_fills_clinic_facts(content, project_root):
    """Each message is its messages.yml text with every clinic placeholder replaced by the
    value in clinic.yml (both files read here, apart from the loader)."""
    assert len(content.answers) >= 15
    folder = project_root / "content"
    facts = yaml.safe_load((folder / "clinic.yml").read_text(encoding="utf-8"))["clinic"]
    values = {("clinic_name" if key == "name" else key): str(value)
              for key, value in facts.items() if key != "time_zone"}
    templates = yaml.safe_load((folder / "messages.yml").read_text(encoding="utf-8"))["messages"]
    filled = 0
    for key, template in templates.items():
        names = set(re.findall(r"{(\w+)}", template))
        if not names or not names <= set(values):
            continue  # no placeholder, or one filled at run time ({topic} ...)
        expected = " ".join(template.split())
        for name in names:
            expected = expected.replace("{" + name + "}", values[name])
        assert content.message(key) == expected, key
        filled += 1
    assert filled >= 5


def test_missing_sources_names_file_entry_and_fix(content_copy):
    edit_answer(content_copy, "faq_cost", sources=None)
    with pytest.raises(ContentError) as error:
        load_content(content_copy)
    assert error.value.entry == "faq_cost"
    assert "answers.yml" in error.value.file
    assert "at least one source" in str(error.value)


def test_empty_answer_text_is_rejected(content_copy):
    edit_answer(content_copy, "faq_risks", answer="   ")
    with pytest.raises(ContentError, match="faq_risks.*'answer' is missing or empty"):
        load_content(content_copy)


def test_bad_review_date_is_rejected(content_copy):
    edit_answer(content_copy, "faq_risks", reviewed_on="last week")
    with pytest.raises(ContentError, match="reviewed_on.*date like"):
        load_content(content_copy)


def test_unknown_placeholder_is_rejected(content_copy):
    edit_answer(content_copy, "faq_cost", answer="Call {phone_number} for prices.")
    with pytest.raises(ContentError, match="unknown placeholder.*phone_number"):
        load_content(content_copy)


def test_stray_brace_is_rejected(content_copy):
    edit_answer(content_copy, "faq_cost", answer="Prices vary {a lot.")
    with pytest.raises(ContentError, match="stray"):
        load_content(content_copy)


def test_source_url_must_be_a_web_address(content_copy):
    edit_answer(content_copy, "faq_cost", sources=[{"label": "Somewhere", "url": "ftp://x"}])
    with pytest.raises(ContentError, match="must start with https"):
        load_content(content_copy)


def test_broken_yaml_reports_the_line(content_copy):
    path = content_copy / "messages.yml"
    path.write_text(path.read_text() + "\n  broken: [unclosed\n")
    with pytest.raises(ContentError, match="not valid YAML near line"):
        load_content(content_copy)


def test_missing_file_is_reported(content_copy):
    (content_copy / "clinic.yml").unlink()
    with pytest.raises(ContentError, match="clinic.yml: file not found"):
        load_content(content_copy)


def test_missing_clinic_fact_is_reported(content_copy):
    path = content_copy / "clinic.yml"
    data = yaml.safe_load(path.read_text())
    del data["clinic"]["emergency_number"]
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ContentError, match="clinic.emergency_number"):
        load_content(content_copy)


def test_rating_button_titles_are_read_per_rating(content, project_root):
    """The titles are the ones staff wrote under button_titles.feedback, one per rating."""
    raw = yaml.safe_load((project_root / "content" / "messages.yml").read_text(encoding="utf-8"))
    assert content.feedback_titles == raw["button_titles"]["feedback"]
    assert set(content.feedback_titles) == {"helpful", "unhelpful"}
    assert "feedback" not in content.button_titles


def test_rating_button_titles_must_be_one_per_rating(content_copy):
    path = content_copy / "messages.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["button_titles"]["feedback"] = data["button_titles"]["feedback"]["helpful"]
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError, match="button_titles.feedback.*one title per rating"):
        load_content(content_copy)


def test_an_entry_written_twice_is_rejected(content_copy):
    path = content_copy / "answers.yml"
    path.write_text(path.read_text() + "\n  faq_cost:\n    title: Again\n")
    with pytest.raises(ContentError) as error:
        load_content(content_copy)
    assert error.value.entry == "faq_cost"
    assert "appears twice" in str(error.value)


def test_patients_see_the_time_zone_name_they_know(content):
    """Not the IANA id ("America/Chicago (Central Time)" shows as "Central Time")."""
    text = content.message("emergency_follow_up")
    assert content.clinic.time_zone_name in text
    assert "/" not in content.clinic.time_zone_name and "America/" not in text


def test_a_source_names_its_own_publisher_or_its_sites_from_the_policy(content_copy):
    edit_answer(content_copy, "faq_cost", sources=[
        {"label": "NHS page", "url": "https://www.nhs.uk/conditions/slipped-disc/"},
        {"label": "Article", "url": "https://pmc.ncbi.nlm.nih.gov/articles/PMC1",
         "publisher": "Spine J"},
        {"label": "Unlisted", "url": "https://www.example.org/page"},
    ])
    sources = load_content(content_copy).answers["faq_cost"].sources
    assert [s.publisher for s in sources] == ["NHS", "Spine J", "example.org"]


def test_a_broken_source_policy_is_reported_with_its_entry(content_copy):
    path = content_copy / "source_policy.yml"
    path.write_text(path.read_text().replace("    kind: hospital\n", "    kind: blog\n", 1))
    with pytest.raises(ContentError, match="kind 'blog' is not one of the allowed kinds") as error:
        load_content(content_copy)
    assert "source_policy.yml" in error.value.file
    assert error.value.entry == "sites 23 (health.harvard.edu)"
