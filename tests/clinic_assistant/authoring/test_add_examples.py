"""add_examples appends to an intent's examples, skips repeats and refuses test sentences."""

from __future__ import annotations

from pathlib import Path

from clinic_assistant.authoring import add_examples
from clinic_assistant.evaluation.examples import read_examples


def run(root: Path, *argv: str) -> int:
    return add_examples.main([*argv, "--root", str(root)], interactive=False)


def examples_of(root: Path, intent: str, file: str):
    return [t for i, t in read_examples([root / "data/nlu" / file]) if i == intent]


def test_appends_new_examples_and_skips_ones_already_there(project_copy, capsys):
    before = examples_of(project_copy, "faq_cost", "faq_cost.yml")
    code = run(project_copy, "--intent", "faq_cost", "--example", "is there a loyalty discount",
               "--example", before[0], "--example", "  is there a loyalty   discount ")
    assert code == 0
    assert examples_of(project_copy, "faq_cost", "faq_cost.yml") == [
        *before, "is there a loyalty discount"
    ]
    out = capsys.readouterr().out
    assert f"Already there, skipped: '{before[0]}'" in out
    assert f"now has {len(before) + 1}" in out and "make train" in out


def test_adds_to_an_intent_in_a_shared_file(project_copy):
    assert run(project_copy, "--intent", "goodbye", "--example", "right, off i go then") == 0
    assert examples_of(project_copy, "goodbye", "conversation.yml")[-1] == "right, off i go then"
    assert "right, off i go then" not in str(examples_of(project_copy, "thank", "conversation.yml"))


def test_refuses_held_out_sentences_and_other_intents_examples(project_copy, capsys):
    before = (project_copy / "data/nlu/faq_cost.yml").read_text()
    code = run(project_copy, "--intent", "faq_cost", "--example", "a fine new one",
               "--example", "cheers thats really helpful", "--example", "hello")
    assert code == 1
    out = capsys.readouterr().out
    assert out.startswith("Nothing was written.")
    assert "'cheers thats really helpful' is in a test set" in out
    assert "'hello' is already an example of 'greet'" in out
    assert (project_copy / "data/nlu/faq_cost.yml").read_text() == before


def test_refuses_real_patients_questions(project_copy, capsys):
    from clinic_assistant.evaluation.real_questions import read_real_questions

    real = read_real_questions(project_copy / "tests/nlu/real_questions/test.yml")[0].text
    before = (project_copy / "data/nlu/faq_cost.yml").read_text()
    assert run(project_copy, "--intent", "faq_cost", "--example", real) == 1
    assert "is in a test set" in capsys.readouterr().out
    assert (project_copy / "data/nlu/faq_cost.yml").read_text() == before


def test_unknown_intent_is_refused_with_the_topics_there_are(project_copy, capsys):
    assert run(project_copy, "--intent", "faq_prices", "--example", "how much") == 1
    out = capsys.readouterr().out
    assert "There is no intent called 'faq_prices'" in out and "faq_cost" in out


def test_asks_in_a_terminal(project_copy):
    script = iter(["faq_prices", "faq_cost", "is there a loyalty discount", ""])
    code = add_examples.main(["--root", str(project_copy)], ask=lambda _: next(script),
                             interactive=True)
    assert code == 0
    assert examples_of(project_copy, "faq_cost", "faq_cost.yml")[-1] == "is there a loyalty discount"
