"""rasa data validate, said in plain words: which file, what is wrong, what to do."""

from __future__ import annotations

import pytest

from clinic_assistant import data_check
from clinic_assistant.data_check import Finding, findings_from_output, translate

WARNING = "\x1b[93m/venv/rasa/shared/utils/io.py:100: UserWarning: {}\n  More info at x\n\x1b[0m"
ERROR = "\x1b[91m{}\x1b[0m"


@pytest.mark.parametrize("rasa_says, file, plain", [
    ("The intent 'faq_cost' is listed in the domain file, but is not found in the NLU training "
     "data.", "domain.yml", "the intent 'faq_cost' has no example questions"),
    ("There is a message in the training data labeled with intent 'faq_costs'. This intent is "
     "not listed in your domain.", "data/nlu/", "domain.yml does not list it"),
    ("The intent 'faq_cost' is not used in any story or rule.", "data/rules/",
     "no rule says how to answer the intent 'faq_cost'"),
    ("Issue found in 'data/rules/faq.yml': \nFound intent 'faq_costs' in stories which is not "
     "part of the domain.", "data/rules/faq.yml", "a rule uses the intent 'faq_costs'"),
    ("The example 'how much' was found labeled with multiple different intents in the training "
     "data. Each annotated message should only appear with one intent. You should fix that "
     "conflict The example is labeled with: faq_cost, faq_risks.", "data/nlu/",
     "the example 'how much' is listed under more than one intent (faq_cost, faq_risks)"),
    ("Issue found while processing 'data/nlu/faq_cost.yml': The item 'faq_cost' contains an "
     "example that doesn't start with a '-' symbol:  - price?\nThis training example will be "
     "skipped.", "data/nlu/faq_cost.yml", "Every example needs 4 spaces, a dash and a space"),
    ("Loading domain from 'domain.yml' failed. Using empty domain. Error: 'Intents are not "
     "unique! Found multiple intents with name(s) ['faq_cost']. Either rename or remove the "
     "duplicate ones.'", "domain.yml", "the intent(s) 'faq_cost' are listed twice"),
    ("YamlSyntaxException: Failed to read 'data/nlu/faq_cost.yml'. while parsing\n  in "
     "\"data/nlu/faq_cost.yml\", line 6, column 5:\n    ^ (line: 6)", "data/nlu/faq_cost.yml",
     "is not valid YAML near line 6"),
    ("YamlValidationException: Failed to validate 'data/nlu/faq_cost.yml'. Here are the errors "
     "found during validation:\n  in data/nlu/faq_cost.yml:3:\n      Key 'exampels' was not "
     "defined.", "data/nlu/faq_cost.yml", "line 3: Key 'exampels' was not defined"),
])
def test_common_rasa_findings_in_plain_words(rasa_says, file, plain):
    finding = translate(rasa_says)
    assert finding.file == file
    assert plain in finding.message


def test_unknown_messages_are_passed_on():
    assert translate("Something new   happened.") == Finding(
        "rasa data validate", "Something new happened.")


def test_output_is_read_and_a_broken_domain_hides_what_follows_from_it():
    output = (
        "2026 INFO rasa.validator - Validating intents...\n"
        + WARNING.format("Loading domain from 'domain.yml' failed. Using empty domain. Error: "
                         "'Intents are not unique! Found multiple intents with name(s) "
                         "['faq_cost']. Either rename or remove the duplicate ones.'")
        + WARNING.format("Issue found in 'data/rules/faq.yml': \nFound intent 'greet' in "
                         "stories which is not part of the domain.")
        + ERROR.format("Encountered empty domain during validation.")
        + ERROR.format("Project validation completed with errors.")
    )
    findings = findings_from_output(output)
    assert [f.file for f in findings] == ["domain.yml"]
    assert str(findings[0]).startswith("ERROR: domain.yml: the intent(s) 'faq_cost' are listed")


def test_a_clean_run_has_no_findings():
    assert findings_from_output("2026 INFO rasa.validator - No story structure conflicts.") == []


def test_rule_with_an_unknown_action_is_found(project_copy):
    rules = project_copy / "data/rules/faq.yml"
    rules.write_text(rules.read_text().replace(
        "  - intent: faq_cost\n  - action: action_answer_faq",
        "  - intent: faq_cost\n  - action: action_answer_faqs"))
    assert data_check.unknown_rule_actions(project_copy) == [Finding(
        "data/rules/faq.yml", "the rule 'faq_cost' uses the action 'action_answer_faqs', which "
        "domain.yml does not list. FAQ rules use action_answer_faq: check the spelling.")]


def test_broken_rules_or_domain_are_left_to_rasas_own_report(project_copy):
    """A rules file or domain that cannot be read (here: a key twice) is skipped by the action
    check; `rasa data validate` reports the file itself."""
    rules = project_copy / "data/rules/faq.yml"
    rules.write_text(rules.read_text().replace(
        "  - intent: faq_cost\n  - action: action_answer_faq",
        "  - intent: faq_cost\n  - action: action_answer_faqs\n    action: action_answer_faqs"))
    assert data_check.unknown_rule_actions(project_copy) == []
    domain = project_copy / "domain.yml"
    domain.write_text("intents: [\n")
    assert data_check.unknown_rule_actions(project_copy) == []


@pytest.mark.slow
def test_real_run_fails_on_what_rasa_only_warns_about(project_copy, capsys):
    """Rasa 3.6 exits 0 for an intent no rule answers; the data check does not."""
    rules = project_copy / "data/rules/faq.yml"
    rules.write_text(rules.read_text().replace(
        "- rule: faq_cost\n  steps:\n  - intent: faq_cost\n  - action: action_answer_faq\n", ""))
    with pytest.raises(SystemExit) as exit_:
        data_check.main(["--root", str(project_copy)])
    assert exit_.value.code == 1
    out = capsys.readouterr().out
    assert ("ERROR: data/rules/: no rule says how to answer the intent 'faq_cost'. For a FAQ "
            "topic add a rule to data/rules/faq.yml") in out
    assert "data check: 1 problem(s)" in out
    assert (project_copy / "var/log/validate.log").is_file()


@pytest.mark.slow
def test_real_run_passes_on_the_project(project_root, project_copy):
    assert data_check.check_data(project_copy) == []
