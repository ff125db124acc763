"""The content check passes on the real content and catches each kind of mistake."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import yaml

from clinic_assistant.content import Source
from clinic_assistant.content_check import (
    MAX_READING_GRADE, check_answers, check_messages, domain_intents, example_counts,
    forbidden_claims, reading_grade, reading_grades, required_messages, run_all_checks,
    training_examples,
)


@pytest.fixture(scope="module")
def intents(project_root):
    return domain_intents(project_root / "domain.yml")


@pytest.fixture(scope="module")
def counts(project_root):
    return example_counts(training_examples(project_root))


def with_answer(content, intent, **changes):
    answers = dict(content.answers)
    answers[intent] = dataclasses.replace(answers[intent], **changes)
    return dataclasses.replace(content, answers=answers)


def messages_of(problems):
    return [str(p) for p in problems if p.severity == "error"]


def test_the_real_content_has_no_errors(project_root):
    assert messages_of(run_all_checks(project_root)) == []


@pytest.mark.parametrize("field, problem", [
    ("reviewed_by", "is missing or empty. Write it as text."),
    ("reviewed_on", "must be a date like 2026-11-25."),
])
def test_validate_refuses_an_answer_without_who_reviewed_it_or_when(
        project_copy, capsys, field, problem):
    """Every answer names its reviewer and review date: without one, make validate fails
    naming the file, the entry, the field and what to write."""
    answers = project_copy / "content/answers.yml"
    data = yaml.safe_load(answers.read_text())
    del data["answers"]["faq_cost"][field]
    answers.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    out = validation_errors(project_copy, capsys)
    assert f"ERROR: content/answers.yml, entry 'faq_cost': field '{field}' {problem}" in out


def test_every_stem_cell_answer_is_marked_and_honest(content):
    stem = {"faq_stem_cell_therapy", "faq_cell_sources", "faq_procedure",
            "faq_autologous_vs_allogeneic", "faq_effectiveness", "faq_regulation"}
    for intent in stem:
        assert content.answers[intent].stem_cell, intent


@pytest.mark.parametrize("text, claim", [
    ("This treatment cures disc disease.", "cure"),
    ("Results are guaranteed.", "guarantee"),
    ("Our FDA-approved stem cells", "FDA-approved"),
    ("It is approved by the FDA for backs.", "FDA-approved"),
    ("A 100% success rate.", "100%"),
    ("A miracle for your back.", "miracle"),
    ("The procedure is risk-free.", "risk-free"),
])
def test_forbidden_claims_are_found(text, claim):
    assert forbidden_claims(text) == [claim]


@pytest.mark.parametrize("text", [
    "No stem-cell product is FDA-approved for disc disease.",
    "It is not a cure, and results are not guaranteed.",
    "Stem cells are not FDA approved for back pain.",
])
def test_honest_negated_wording_is_allowed(text):
    assert forbidden_claims(text) == []


def test_forbidden_claim_in_an_answer_fails_with_file_and_entry(content, intents, counts):
    bad = with_answer(content, "faq_effectiveness",
                      answer=content.answers["faq_effectiveness"].answer + " It cures most people.")
    errors = messages_of(check_answers(bad, intents, counts))
    assert errors == ["ERROR: content/answers.yml, entry 'faq_effectiveness': 'answer' makes a "
                      "forbidden claim ('cure'). Reword it: the assistant never promises results "
                      "or claims approval."]


def test_stem_cell_answer_without_the_caveats_fails(content, intents, counts):
    bad = with_answer(content, "faq_procedure", answer="The cells are injected into the disc.")
    errors = messages_of(check_answers(bad, intents, counts))
    assert any("must say the treatment is investigational" in e for e in errors)
    assert any("no stem-cell product is FDA-approved" in e for e in errors)


def test_missing_answer_for_a_faq_intent_fails(content, intents, counts):
    answers = {k: v for k, v in content.answers.items() if k != "faq_cost"}
    errors = messages_of(check_answers(dataclasses.replace(content, answers=answers),
                                       intents, counts))
    assert any("'faq_cost': this FAQ intent has no answer entry" in e for e in errors)


def test_answer_for_an_intent_not_in_the_domain_fails(content, counts, intents):
    errors = messages_of(check_answers(content, [i for i in intents if i != "faq_cost"], counts))
    assert any("'faq_cost': no intent of this name in domain.yml" in e for e in errors)


def test_answer_whose_intent_lacks_training_data_fails(content, intents, counts):
    errors = messages_of(check_answers(content, intents, {**counts, "faq_cost": 3}))
    assert any("'faq_cost': only 3 training examples" in e for e in errors)


def test_follow_up_to_an_unknown_intent_fails(content, intents, counts):
    bad = with_answer(content, "faq_cost", follow_ups=("faq_prices",))
    errors = messages_of(check_answers(bad, intents, counts))
    assert any("follow-up 'faq_prices' is not an intent" in e for e in errors)


def test_long_answer_fails(content, intents, counts):
    bad = with_answer(content, "faq_cost", answer="word " * 150)
    assert any("150 words" in e for e in messages_of(check_answers(bad, intents, counts)))


def test_overdue_review_is_a_warning_not_an_error(content, intents, counts):
    problems = check_answers(content, intents, counts, today=dt.date(2030, 1, 1))
    assert messages_of(problems) == []
    assert len([p for p in problems if p.severity == "warning"]) == len(content.answers)


def test_reply_button_to_an_unknown_intent_fails(content, intents):
    from clinic_assistant.content import Reply

    replies = {**content.replies, "greet": Reply(text="Hi", buttons=("faq_nonsense",))}
    bad = dataclasses.replace(content, replies=replies)
    errors = messages_of(check_messages(bad, intents, required_messages()))
    assert errors == ["ERROR: content/messages.yml, entry 'replies.greet': button "
                      "'faq_nonsense' is not an intent in domain.yml."]


def test_buttons_used_by_the_actions_name_real_intents(content, intents):
    from actions import clarification, faq, safety, session

    used = (*clarification.SCOPE_TOPICS, *clarification.PERSON_BUTTONS, *faq.CONSULTATION_BUTTONS,
            *safety.AFTER_EMERGENCY_BUTTONS, *session.WELCOME_TOPICS, "tell_me_more",
            "none_of_these")
    for intent in used:
        assert intent in intents
        assert content.button_title(intent)


def test_the_feedback_buttons_need_both_titles_and_the_intent(content, intents):
    bad = dataclasses.replace(content, feedback_titles={"helpful": "Helpful", "meh": "Meh"})
    errors = messages_of(check_messages(bad, [i for i in intents if i != "feedback"],
                                        required_messages()))
    entry = "ERROR: content/messages.yml, entry 'button_titles.feedback"
    assert f"{entry}': needs a title for the rating 'unhelpful'" in errors[0]
    assert any(e.startswith(f"{entry}.meh': is not a rating") for e in errors)
    assert any("the intent 'feedback' is not in domain.yml" in e for e in errors)


def test_feedback_cannot_be_a_reply_button(content, intents):
    from clinic_assistant.content import Reply

    replies = {**content.replies, "thank": Reply(text="Hi", buttons=("feedback",))}
    errors = messages_of(check_messages(dataclasses.replace(content, replies=replies), intents,
                                        required_messages()))
    assert errors == ["ERROR: content/messages.yml, entry 'replies.thank': button 'feedback' "
                      "cannot be offered in a reply: the rating buttons come under every answer "
                      "by themselves. Remove it from the list."]


# Sources patients can trust (content/source_policy.yml).

@pytest.mark.parametrize("url", [
    "https://us-uk.bookimed.com/article/m/stem-cell-treatment-for-back-pain",  # travel agency
    "https://regenexx.com/blog/disc-stem-cell-research/",                      # another clinic
    "https://www.today.com/health/will-epidural-injection-help-my-back-pain",  # news
    "https://biologyinsights.com/do-i-need-an-mri-for-sciatica-2",             # content farm
    "https://www.medscape.com/news/stem-cells",                                # not the article
])
def test_a_source_not_on_an_allowed_site_fails_naming_the_answer_and_url(
    content, intents, counts, url
):
    answer = content.answers["faq_cost"]
    sources = answer.sources + (Source(label="Some page", url=url, publisher="X"),)
    errors = messages_of(check_answers(with_answer(content, "faq_cost", sources=sources),
                                       intents, counts))
    assert errors == [
        f"ERROR: content/answers.yml, entry 'faq_cost': source 'Some page' ({url}) is not on an "
        "allowed site. Answers may cite only: Government and public-health bodies; Professional "
        "societies; Peer-reviewed journals (and the public libraries that host their articles); "
        "Hospital and academic medical-centre patient pages (content/source_policy.yml). Cite an "
        "authoritative source for the same fact, write it as what clinics say without citing a "
        "clinic, or drop the fact."
    ]


def test_every_source_of_the_real_answers_is_allowed(content, intents, counts):
    errors = messages_of(check_answers(content, intents, counts))
    assert not [e for e in errors if "allowed site" in e]


# Plain language (Flesch-Kincaid grade, textstat 0.7.3).

HARD = ("Intradiscal administration of autologous mesenchymal stromal cells constitutes an "
        "investigational intervention whose therapeutic efficacy remains unsubstantiated by "
        "adequately powered randomised controlled investigations.")
PLAIN = "Stem cells put into a disc are still being tested. We do not know yet if they help."


def test_the_reading_grade_tells_a_hard_sentence_from_a_plain_one():
    assert reading_grade(HARD) > 20
    assert reading_grade(PLAIN) < 5


@pytest.mark.parametrize("field", ["answer", "more"])
def test_a_hard_answer_or_more_text_fails_with_its_grade(content, intents, counts, field):
    text = f"{HARD} No stem-cell product has FDA approval for disc disease or back pain."
    assert reading_grade(text) > MAX_READING_GRADE
    errors = messages_of(check_answers(with_answer(content, "faq_cost", **{field: text}),
                                       intents, counts))
    assert len(errors) == 1
    assert errors[0].startswith(f"ERROR: content/answers.yml, entry 'faq_cost': '{field}' reads "
                                "at US school grade ")
    assert "keep it at 8.5 or below" in errors[0]


def test_a_hard_message_fails_and_a_plain_one_passes(content, intents):
    hard = {**content.messages, "no_more": HARD}
    errors = messages_of(check_messages(dataclasses.replace(content, messages=hard), intents,
                                        required_messages()))
    assert len(errors) == 1 and errors[0].startswith(
        "ERROR: content/messages.yml, entry 'messages.no_more': 'text' reads at US school grade")
    plain = {**content.messages, "no_more": PLAIN}
    assert messages_of(check_messages(dataclasses.replace(content, messages=plain), intents,
                                      required_messages())) == []


def test_every_real_answer_and_message_reads_at_grade_8_5_or_below(content):
    grades = dict(reading_grades(content))
    assert len(grades) == 2 * len(content.answers) + len(content.messages) + len(content.replies)
    assert {entry: grade for entry, grade in grades.items() if grade > MAX_READING_GRADE} == {}


# `make validate` on files edited by hand: each kind of mistake, and what it prints.

def edit(root, name, old, new):
    path = root / name
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new, 1))


def validate(root, capsys):
    from clinic_assistant.content_check import main

    with pytest.raises(SystemExit) as exit_:
        main(["--root", str(root)])
    return exit_.value.code, capsys.readouterr().out


def validation_errors(root, capsys):
    """`make validate`'s output, after checking that it failed (exit 1)."""
    code, out = validate(root, capsys)
    assert code == 1, out
    return out


@pytest.mark.parametrize("name, old, new, expected", [
    ("content/answers.yml", "  faq_cost:", "  faq_Cost:",
     "ERROR: content/answers.yml, entry 'faq_Cost': The name 'faq_Cost' is not allowed: a FAQ "
     "intent name starts with 'faq_' and uses only lowercase letters, digits and single "
     "underscores"),
    ("domain.yml", "  - faq_cost\n", "  - faq_cost\n  - faq_cost\n",
     "ERROR: domain.yml, entry 'faq_cost': this intent is listed twice under 'intents:'. Delete "
     "one of the two lines."),
    ("content/answers.yml", "Prices vary", "Results are guaranteed. Prices vary",
     "ERROR: content/answers.yml, entry 'faq_cost': 'answer' makes a forbidden claim "
     "('guarantee')."),
    ("content/answers.yml", "  faq_risks:", "  faq_cost:\n    title: Copy\n\n  faq_risks:",
     "ERROR: content/answers.yml, entry 'faq_cost': appears twice (the second time on line"),
    ("content/scope.yml", "stenosis|scoliosis", "stenosis|(scoliosis",
     "ERROR: content/scope.yml, entry 'groups': cannot be read ("),
    ("content/red_flags.yml", "foot ?drop|drop ?foot", "foot ?drop|(drop ?foot",
     "ERROR: content/red_flags.yml, entry 'rules': cannot be read ("),
])
def test_validate_names_file_entry_and_fix(project_copy, capsys, name, old, new, expected):
    edit(project_copy, name, old, new)
    out = validation_errors(project_copy, capsys)
    assert expected in out


def test_validate_counts_the_training_examples(project_copy, capsys):
    path = project_copy / "data/nlu/faq_cost.yml"
    path.write_text("\n".join(path.read_text().splitlines()[:14]) + "\n")
    out = validation_errors(project_copy, capsys)
    assert ("ERROR: content/answers.yml, entry 'faq_cost': only 10 training examples in "
            "data/nlu/; add at least 25 varied example questions (make add-examples") in out


def test_validate_reports_a_missing_source_with_file_and_entry(project_copy, capsys):
    answers = project_copy / "content/answers.yml"
    text = answers.read_text()
    start = text.index("    sources:", text.index("  faq_cost:"))
    end = text.index("    reviewed_on:", start)
    answers.write_text(text[:start] + text[end:])
    out = validation_errors(project_copy, capsys)
    assert out.startswith("ERROR: content/answers.yml, entry 'faq_cost': field 'sources' needs "
                          "at least one source")


def test_validate_refuses_more_than_four_sources_as_add_topic_does(project_copy, capsys):
    fda = ('      - label: "FDA: Regenerative medicine therapies, information for patients"\n'
           "        url: https://www.fda.gov/vaccines-blood-biologics/consumers-biologics/"
           "important-patient-and-consumer-information-about-regenerative-medicine-therapies\n")
    answers = project_copy / "content/answers.yml"
    text = answers.read_text()
    at = text.index("    sources:\n", text.index("  faq_cost:")) + len("    sources:\n")
    answers.write_text(text[:at] + fda * 3 + text[at:])  # 5 sources
    out = validation_errors(project_copy, capsys)
    assert ("ERROR: content/answers.yml, entry 'faq_cost': 5 sources listed; list at most 4, "
            "the most authoritative ones.") in out


def test_validate_names_the_answer_and_url_of_a_source_from_another_clinic(project_copy, capsys):
    edit(project_copy, "content/answers.yml",
         "https://www.ajnr.org/content/36/4/811", "https://gangnam-stem-cell.com/checklist/")
    out = validation_errors(project_copy, capsys)
    assert ("ERROR: content/answers.yml, entry 'faq_herniated_disc': source 'AJNR (Brinjikji "
            "et al. 2015, systematic review): Disc changes on scans of people without back "
            "pain' (https://gangnam-stem-cell.com/checklist/) is not on an allowed site.") in out


def test_validate_reports_a_policy_site_of_a_kind_not_allowed(project_copy, capsys):
    edit(project_copy, "content/source_policy.yml", "    kind: society\n", "    kind: clinic\n")
    out = validation_errors(project_copy, capsys)
    assert ("ERROR: content/source_policy.yml, entry 'sites 12 (eurospine.org)': kind 'clinic' "
            "is not one of the allowed kinds (government, society, journal, hospital).") in out


def test_validate_grades_prints_every_text_and_the_max_and_median(project_copy, capsys):
    from clinic_assistant.content_check import main

    main(["--root", str(project_copy), "--grades"])
    out = capsys.readouterr().out.splitlines()
    assert out[-1].startswith("reading grade (Flesch-Kincaid, textstat): max ")
    assert out[-1].endswith("texts above 8.5") and " 0 of " in out[-1]
    assert any(line.endswith("  faq_cost.answer") for line in out)


def test_validate_warns_about_an_overdue_review_and_still_passes(project_copy, capsys):
    answers = project_copy / "content/answers.yml"
    text = answers.read_text()
    at = text.index("    reviewed_on:", text.index("  faq_cost:"))
    line_end = text.index("\n", at)
    answers.write_text(text[:at] + "    reviewed_on: 2020-01-01" + text[line_end:])
    code, out = validate(project_copy, capsys)
    assert code == 0
    assert ("WARNING: content/answers.yml, entry 'faq_cost': last reviewed 2020-01-01, more than "
            "365 days ago. Review the answer and its sources, then update 'reviewed_on'.") in out
    assert "content check: 0 error(s), 1 warning(s)" in out


def second_line_of(root, name, key):
    """The line (from 1) where `key:` starts for the second time in the file."""
    lines = [n for n, line in enumerate((root / name).read_text().splitlines(), 1)
             if line.strip().startswith(f"{key}:") or line.strip().startswith(f"- {key}:")]
    assert len(lines) >= 2
    return lines[1]


@pytest.mark.parametrize("name, old, new, key, entry", [
    ("content/red_flags.yml", "rules:\n", "rules:\n  named_emergency:\n    any: [\"x\"]\n",
     "named_emergency", "named_emergency"),
    ("content/scope.yml", "groups:\n", "groups:\n  animals:\n    any: [\"x\"]\n",
     "animals", "animals"),
    ("content/handoff.yml", "  claim_timeout_minutes: 3\n",
     "  claim_timeout_minutes: 3\n  claim_timeout_minutes: 5\n",
     "claim_timeout_minutes", "claim_timeout_minutes"),
    ("data/nlu/faq_cost.yml", "- intent: faq_cost\n", "- intent: faq_cost\n  intent: faq_risks\n",
     "intent", "intent"),
])
def test_validate_refuses_a_key_written_twice_with_file_and_line(
        project_copy, capsys, name, old, new, key, entry):
    """YAML would keep the last of the two silently; make validate names both the key and the
    line of the second one, in every file it reads."""
    edit(project_copy, name, old, new)
    line = second_line_of(project_copy, name, key)
    out = validation_errors(project_copy, capsys)
    assert (f"ERROR: {name}, entry '{entry}': appears twice (the second time on line {line}). "
            "Each entry may appear only once: merge the two or rename one.") in out


@pytest.mark.parametrize("name, old, new, expected", [
    ("content/handoff.yml", "  claim_timeout_minutes: 3\n", "  claim_timeout_minutes: [3\n",
     "ERROR: content/handoff.yml, entry 'handoff': not valid YAML near line"),
    ("content/red_flags.yml", "rules:\n", "rules: [\n",
     "ERROR: content/red_flags.yml, entry 'rules': not valid YAML near line"),
    ("data/nlu/faq_cost.yml", "- intent: faq_cost\n", "- intent: [faq_cost\n",
     "ERROR: data/nlu/faq_cost.yml: not valid YAML near line"),
    ("domain.yml", "intents:\n", "intents: [\n", "ERROR: domain.yml: not valid YAML near line"),
])
def test_validate_names_a_broken_file(project_copy, capsys, name, old, new, expected):
    edit(project_copy, name, old, new)
    out = validation_errors(project_copy, capsys)
    assert expected in out


def test_validate_names_a_handoff_value_it_cannot_use(project_copy, capsys):
    edit(project_copy, "content/handoff.yml", "  claim_timeout_minutes: 3\n",
         "  claim_timeout_minutes: -3\n")
    out = validation_errors(project_copy, capsys)
    assert ("ERROR: content/handoff.yml, entry 'handoff': claim_timeout_minutes: must be a "
            "positive number, not -3. See docs/handoff.md for what each value means.") in out


def test_validate_refuses_a_missing_handoff_file(project_copy, capsys):
    (project_copy / "content/handoff.yml").unlink()
    out = validation_errors(project_copy, capsys)
    assert ("ERROR: content/handoff.yml, entry 'handoff': file not found. Restore it from git "
            "or the docs.") in out
