"""add_topic writes a new topic into the project's own files, or refuses it and says why."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from difflib import SequenceMatcher
import subprocess
import sys
from pathlib import Path
from typing import Dict, Iterator

import pytest
import yaml

from clinic_assistant.authoring import add_topic
from clinic_assistant.content import load_content
from clinic_assistant.content_check import run_all_checks
from clinic_assistant.evaluation.examples import read_examples
from clinic_assistant.settings import PROJECT_ROOT
from tests.clinic_assistant.authoring.conftest import ANSWER, EXAMPLES, INTENT, SOURCE

EDITED = ("domain.yml", "data/rules/faq.yml", "content/answers.yml")
#: The project's own classifier on the project's sentence embeddings (cached: only the new
#: topic's examples are embedded), without spaCy and the screens that do not learn.
TEST_CONFIG = """\
recipe: default.v1
language: en
assistant_id: authoring-test
pipeline:
  - name: WhitespaceTokenizer
  - name: clinic_assistant.nlu.sentence_classifier.SentenceEmbeddingClassifier
    members: {e5: 0.5, minilm: 0.5}
    C: 30.0
    class_weight: balanced
policies: []
"""


def snapshot(root: Path) -> Dict[str, str]:
    return {str(p.relative_to(root)): p.read_text() for p in sorted(root.rglob("*.yml"))}


def run(root: Path, argv, **kwargs) -> int:
    return add_topic.main([*argv, "--root", str(root)], **{"interactive": False, **kwargs})


@pytest.fixture
def skip_checks(monkeypatch):
    """Leave out the validation run at the end (tested on its own below)."""
    monkeypatch.setattr(add_topic, "run_checks", lambda root, new_intent=None: True)


@pytest.mark.slow
def test_writes_the_topic_into_each_file_and_keeps_the_rest(project_copy, flags, capsys):
    before = snapshot(project_copy)
    assert run(project_copy, flags()) == 0
    out = capsys.readouterr().out
    after = snapshot(project_copy)

    assert [t for _, t in read_examples([project_copy / f"data/nlu/{INTENT}.yml"])] == EXAMPLES
    for name in EDITED:  # only insertions: every old line and comment is still there, in order
        matcher = SequenceMatcher(a=before[name].splitlines(), b=after[name].splitlines())
        assert {op for op, *_ in matcher.get_opcodes()} == {"equal", "insert"}, name
    domain = after["domain.yml"].splitlines()
    last_faq = [line for line in before["domain.yml"].splitlines() if line.startswith("  - faq_")][-1]
    assert domain[domain.index(last_faq) + 1] == f"  - {INTENT}"
    rules = yaml.safe_load(after["data/rules/faq.yml"])["rules"]
    assert {"rule": INTENT, "steps": [{"intent": INTENT}, {"action": "action_answer_faq"}]} in rules
    assert rules[-1]["rule"] == "tell me more about the last answer"
    assert after["content/answers.yml"].rstrip().endswith(
        "follow_ups: [faq_conventional_treatment]")

    answer = load_content(project_copy / "content").answers[INTENT]
    assert answer.answer == ANSWER and answer.reviewed_on == dt.date.today()
    assert answer.sources[0].url == "https://www.nhs.uk/conditions/slipped-disc/"
    assert run_all_checks(project_copy) == []
    assert "training data and domain: no problems" in out
    for step in ("make add-examples", "make train", "make shell"):
        assert step in out


@pytest.mark.parametrize("change, message", [
    (dict(intent="faq_Sleeping"), "The name 'faq_Sleeping' is not allowed: a FAQ intent name "
                                  "starts with 'faq_'"),
    (dict(intent="sleeping_position"), "is not allowed"),
    (dict(intent="faq_cost"), "There is already an intent called 'faq_cost' (in domain.yml, "
                              "content/answers.yml, data/nlu/faq_cost.yml)"),
    (dict(answer=ANSWER + " A good mattress cures disc pain."),
     "'answer' makes a forbidden claim ('cure')"),
    (dict(title="Guaranteed relief at night"), "'title' makes a forbidden claim ('guarantee')"),
    (dict(examples=EXAMPLES[:4]), "Only 4 different example question(s) given: write at least 5"),
    (dict(examples=EXAMPLES[:4] * 2), "Only 4 different example question(s)"),
    (dict(examples=[*EXAMPLES[:5], "cheers thats really helpful"]),
     "'cheers thats really helpful' is in a test set"),
    (dict(examples=[*EXAMPLES[:5], "how much is it"]),
     "'how much is it' is already an example of 'faq_cost'"),
    (dict(sources=["NHS https://www.nhs.uk/"]), "must be written as Label|https://address"),
    (dict(sources=["NHS|www.nhs.uk"]), "must start with https://"),
    (dict(sources=[SOURCE] * 5), "5 sources listed; list at most 4"),
    (dict(answer="word " * 130), "'answer' has 130 words"),
    (dict(sources=["Clinic blog|https://regenexx.com/blog/stem-cells-lower-back-pain/"]),
     "Source 'Clinic blog' (https://regenexx.com/blog/stem-cells-lower-back-pain/) is not on an "
     "allowed site"),
    (dict(answer="Recumbent positioning with intervertebral decompression necessitates "
                 "individualised physiotherapeutic consultation and comprehensive evaluation."),
     "'answer' reads at US school grade"),
])
def test_refuses_a_bad_topic_with_a_plain_message_and_writes_nothing(
    project_copy, flags, capsys, change, message
):
    before = snapshot(project_copy)
    assert run(project_copy, flags(**change)) == 1
    out = capsys.readouterr().out
    assert out.startswith("Nothing was written.") or "There is already" in out
    assert message in out
    assert snapshot(project_copy) == before


def test_stem_cell_topic_must_carry_the_caveats(project_copy, flags, capsys):
    assert run(project_copy, flags() + ["--stem-cell"]) == 1
    out = capsys.readouterr().out
    assert "must say the treatment is investigational" in out
    assert "no stem-cell product is FDA-approved" in out


def test_missing_flags_without_a_terminal_are_listed(project_copy, flags, capsys):
    argv = [a for a in flags() if a != SOURCE and a != "--source"]
    assert run(project_copy, argv) == 2
    assert "Missing: --source." in capsys.readouterr().out


def answers(*lines: str) -> Iterator[str]:
    yield from lines


def test_asks_for_everything_in_a_terminal(project_copy, skip_checks, capsys):
    script = answers(
        "Sleeping", INTENT,                      # a bad name is asked again
        "Sleeping with a disc problem",
        *EXAMPLES[:5], "",                       # five examples, then an empty line
        "n",                                     # not about stem cells
        ANSWER + " It is a miracle.", ANSWER,    # a forbidden claim is asked again
        "NHS www.nhs.uk", SOURCE, "",            # a bad source is asked again
        "Dr A. Jones",
        "faq_nonsense", "faq_recovery",          # an unknown follow-up is asked again
    )
    asked = []

    def ask(prompt: str) -> str:
        asked.append(prompt)
        return next(script)

    assert add_topic.main(["--root", str(project_copy)], ask=ask, interactive=True) == 0
    out = capsys.readouterr().out
    assert "is not allowed" in out and "forbidden claim ('miracle')" in out
    assert "Label|https://address" in out and "No topic called faq_nonsense" in out
    answer = load_content(project_copy / "content").answers[INTENT]
    assert answer.follow_ups == ("faq_recovery",) and answer.answer == ANSWER
    assert len(read_examples([project_copy / f"data/nlu/{INTENT}.yml"])) == 5
    assert any(p.startswith("Topic name") for p in asked)


@pytest.mark.slow
def test_new_topic_validates_and_trains(project_copy, flags, tmp_path):
    """The real thing: rasa data validate passes, and a small model learns the new intent."""
    # 0: add-topic's own `rasa data validate --fail-on-warnings` exited 0 and reported nothing.
    assert run(project_copy, flags()) == 0
    validate_output = (project_copy / "var" / "log" / "validate.log").read_text()
    assert "No story structure conflicts found" in validate_output  # Rasa's whole run is there
    assert not re.search(r"UserWarning", validate_output)

    config = tmp_path / "test_config.yml"
    config.write_text(TEST_CONFIG)
    cache = tmp_path / "embeddings"  # a copy of the training cache, if training has run
    if (PROJECT_ROOT / "var" / "cache" / "embeddings").is_dir():
        shutil.copytree(PROJECT_ROOT / "var" / "cache" / "embeddings", cache)
    train = subprocess.run(
        [sys.executable, "-m", "rasa", "train", "nlu", "--config", str(config), "--nlu",
         "data/nlu", "--out", str(tmp_path / "models"), "--fixed-model-name", "nlu"],
        cwd=project_copy, capture_output=True, text=True, timeout=600,
        env={**os.environ, "EMBEDDING_CACHE_DIR": str(cache)},
    )
    model = tmp_path / "models" / "nlu.tar.gz"
    assert train.returncode == 0 and model.is_file(), train.stdout[-2000:] + train.stderr[-2000:]

    import asyncio

    from rasa.core.agent import Agent

    async def parse(text: str) -> str:
        agent = Agent.load(str(model))
        return (await agent.parse_message(text))["intent"]["name"]

    assert asyncio.run(parse(EXAMPLES[1])) == INTENT


def test_stopping_in_a_terminal_writes_nothing(project_copy, capsys):
    before = snapshot(project_copy)

    def ask(prompt: str) -> str:
        raise KeyboardInterrupt

    assert add_topic.main(["--root", str(project_copy)], ask=ask, interactive=True) == 1
    assert "Nothing was written" in capsys.readouterr().out
    assert snapshot(project_copy) == before
