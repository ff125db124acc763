"""The report names topics by their titles (answers.yml) and other intents from report.yml."""

from __future__ import annotations

import shutil

import yaml

from clinic_assistant.content import get_content
from clinic_assistant.reporting.html_report import render_html
from clinic_assistant.reporting.markdown_report import render_markdown
from clinic_assistant.reporting.topics import load_topic_names
from clinic_assistant.settings import get_settings


def test_faq_topics_have_their_answer_titles_and_others_the_content_names():
    names = load_topic_names()
    answers = get_content().answers
    assert names("faq_autologous_vs_allogeneic") == answers["faq_autologous_vs_allogeneic"].title
    report_file = yaml.safe_load((get_settings().content_dir / "report.yml").read_text())
    for intent, title in report_file["intent_titles"].items():
        assert names(intent) == " ".join(title.split())
    assert names("nlu_fallback") != "nlu_fallback"


def test_an_intent_without_a_title_is_shown_in_plain_words():
    assert load_topic_names()("clinic_parking_info") == "Clinic parking info"


def test_staff_can_change_the_names_in_the_content_folder(tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(get_settings().content_dir, folder)
    path = folder / "report.yml"
    data = yaml.safe_load(path.read_text())
    data["intent_titles"]["nlu_fallback"] = "Went over its head"
    data["form_text_hidden"] = "(private)"
    data["reply_to_signs"] = "(said yes to the warning signs)"
    path.write_text(yaml.safe_dump(data))
    names = load_topic_names(folder)
    assert names("nlu_fallback") == "Went over its head" and names.form_text_hidden == "(private)"
    assert names.reply_to_signs == "(said yes to the warning signs)"


def test_a_missing_report_file_still_gives_readable_names(tmp_path):
    names = load_topic_names(tmp_path)
    assert names("out_of_scope") == "Out of scope" and names("faq_cost") == "Faq cost"


def test_no_intent_name_reaches_the_html_or_markdown(sample_report):
    html, markdown = render_html(sample_report), render_markdown(sample_report)
    raw = ["nlu_fallback", "out_of_scope", "none_of_these", "red_flag_symptoms",
           "request_human", "book_consultation", "request_callback", "faq_cost"]
    for text in (html, markdown):
        assert not [name for name in raw if name in text]
    assert get_content().answers["faq_cost"].title in html
    assert load_topic_names()("request_human") in html
