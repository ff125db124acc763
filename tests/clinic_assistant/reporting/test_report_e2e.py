"""Real conversations with the running assistant, then the report on its tracker database."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Dict, List

import pytest
from rasa.shared.nlu.training_data.loading import load_data

from clinic_assistant.reporting.cli import main
from clinic_assistant.reporting.topics import load_topic_names

pytestmark = pytest.mark.e2e

UNANSWERED = {"nlu_fallback", "out_of_scope"}
#: Wordings of one question the assistant cannot answer; those the model does not answer are
#: used (at least 3 must be).
WIFI = ["what's the wifi password", "what is the wifi password", "can I have the wi-fi password",
        "whats the password for the wifi", "wifi password?"]
RED_FLAG = "since this morning I can't really feel my bum when I wipe and I can't pee"
#: A message the classifier cannot place, a red flag among its guesses: the warning signs come
#: first, and a typed "yes" to them gets the emergency advice (its intent is affirm).
UNPLACED_WITH_A_RED_FLAG = ("I have had terrible back pain for ten days after gardening, "
                            "painkillers do nothing. Any advice?")
PERSON = "I want to talk to a real person"
CONSULTATION = "I'd like to book a consultation"
FAQS = ["what is a herniated disc", "how much does the treatment cost",
        "what are the risks of the injection"]
#: Unanswerable messages carrying contact details; the first the model leaves unanswered in each
#: phone format (UK, US) is sent, with an email. Several per format: a message with a phone number
#: sits near `clinic_info`, and a retrain can tip one of them there.
CONTACTS = [
    "can you recommend a pizza place nearby, text me on 07700 900123 or jane.doe@example.com",
    "whats the weather tomorrow, my number is 07700 900123, email jane.doe@example.com",
    "know a good italian restaurant? call +1 (555) 010-2030 or jane.doe@example.com",
    "will it rain this weekend, ring +1 (555) 010-2030 or mail jane.doe@example.com",
    "who won the football last night? text me on 07700 900123 or jane.doe@example.com",
    "order me a pizza, my number is 07700 900123, email jane.doe@example.com",
]
PRIVATE = ["07700", "900123", "jane.doe", "example.com", "555) 010", "010-2030"]


@pytest.fixture(scope="module")
def variants(assistant) -> List[str]:
    """The wifi questions that really end up unanswered with the current model."""
    found = [t for t in WIFI if assistant.parse(t)["intent"]["name"] in UNANSWERED]
    assert len(found) >= 3, "pick other wordings: the model answers most of these"
    return found


@pytest.fixture(scope="module")
def sent(assistant, variants) -> Dict[str, List[str]]:
    """Hold the conversations: sender id -> messages, all senders sharing one prefix."""
    assert assistant.parse(RED_FLAG)["intent"]["name"] == "red_flag_symptoms"
    unplaced = assistant.parse(UNPLACED_WITH_A_RED_FLAG)
    assert unplaced["intent"]["name"] == "nlu_fallback"
    assert {e["name"]: e["confidence"] for e in unplaced["intent_ranking"]}[
        "red_flag_symptoms"] >= 0.2
    assert assistant.parse(PERSON)["intent"]["name"] == "request_human"
    assert assistant.parse(CONSULTATION)["intent"]["name"] == "book_consultation"
    contacts = [t for t in CONTACTS if assistant.parse(t)["intent"]["name"] in UNANSWERED]
    uk = next(t for t in contacts if "07700" in t)
    us = next(t for t in contacts if "010-2030" in t)
    prefix = f"report-{uuid.uuid4().hex[:8]}-"
    script = {
        "anna": ["hello", FAQS[0], variants[0], "/none_of_these"],
        "ben": [variants[1], FAQS[1]],
        "cleo": [variants[2], PERSON],
        "dan": [*variants[3:], RED_FLAG, FAQS[2]],
        "eve": [uk, us, CONSULTATION, "thanks"],
        "finn": ["hi", FAQS[1], "thanks"],
        "gina": [UNPLACED_WITH_A_RED_FLAG, "yes"],
    }
    conversations = {f"{prefix}{name}": messages for name, messages in script.items()}
    for sender, messages in conversations.items():
        for message in messages:
            assert assistant.say(sender, message), "the assistant always replies"
    return conversations


@pytest.fixture(scope="module")
def report_dir(assistant, sent, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report")
    prefix = next(iter(sent)).rsplit("-", 1)[0] + "-"
    assert main(["--db", str(assistant.tracker_db), "--out", str(out),
                 "--sender-prefix", prefix]) == 0
    return out


def figure(summary: str, name: str) -> int:
    [line] = [row for row in summary.splitlines() if row.startswith(f"| {name} | ")]
    return int(line.split("|")[2])


def test_the_figures_match_what_was_sent(assistant, sent, report_dir):
    summary = (report_dir / "summary.md").read_text(encoding="utf-8")
    messages = [m for ms in sent.values() for m in ms]
    intents = [assistant.parse(m)["intent"]["name"] for m in messages if not m.startswith("/")]
    assert figure(summary, "Conversations") == len(sent)
    assert figure(summary, "User messages") == len(messages)
    assert figure(summary, "Red flags raised") == 2  # dan's, and gina's "yes" to the signs
    name = load_topic_names()
    assert figure(summary, "Requests for a person") == 2
    assert figure(summary, f"Unanswered: {name('none_of_these')}") == 1
    assert figure(summary, f"Unanswered: {name('nlu_fallback')}") == intents.count("nlu_fallback")
    assert figure(summary, f"Unanswered: {name('out_of_scope')}") == intents.count("out_of_scope")
    assert f"| {RED_FLAG} |" in summary
    assert "| yes (a reply to the warning signs) |" in summary
    assert f"| {name('request_human')} | 1 | 1 |" in summary
    assert f"| {name('book_consultation')} | 1 | 1 |" in summary
    assert not [sender for sender in sent if sender in summary], "no conversation ids"


def test_the_variants_of_one_question_are_one_group(sent, variants, report_dir):
    summary = (report_dir / "summary.md").read_text(encoding="utf-8")
    rows = [line.split(" | ") for line in summary.splitlines() if "password" in line]
    assert len(rows) == 1, "all wordings in one row"
    [row] = rows
    count, conversations, clarification_misses = int(row[2]), int(row[3]), int(row[5])
    assert count == len(variants) and clarification_misses == 1
    assert conversations == min(len(variants), 4)  # dan asks the 4th wording and any after it
    assert all(variant in row[1] for variant in variants)
    path = str(report_dir / "unanswered.yml")
    examples = [m.get("text") for m in load_data(path).training_examples]
    assert set(variants) <= set(examples) and len(examples) == len(set(examples))


def test_phone_numbers_and_emails_appear_in_no_file(report_dir):
    for name in ("report.html", "summary.md", "unanswered.yml"):
        text = (report_dir / name).read_text(encoding="utf-8")
        assert not [p for p in PRIVATE if p in text], name
    for name in ("summary.md", "unanswered.yml"):
        text = (report_dir / name).read_text(encoding="utf-8")
        assert text.count("[phone]") >= 2 and text.count("[email]") >= 2
