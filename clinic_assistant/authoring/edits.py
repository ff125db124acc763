"""Insert new entries into the project's files as text, so their comments and layout stay.

Each function takes a file's current text and returns the new text; nothing here reads or
writes files. The YAML is never loaded and dumped again, which would drop every comment.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import textwrap
from typing import Iterable, List

import yaml

from clinic_assistant.authoring.topic import NewTopic

ANSWER_WIDTH = 92
_FAQ_INTENT_LINE = re.compile(r"^(\s*)- faq_[a-z0-9_]+\s*$")
_FAQ_RULE_LINE = re.compile(r"^- rule: faq_\S+\s*$")
_EXAMPLE_LINE = re.compile(r"^(\s+)- ")


def _lines(text: str) -> List[str]:
    return text.splitlines()


def _join(lines: Iterable[str]) -> str:
    return "\n".join(lines) + "\n"


def yaml_text(value: str) -> str:
    """A value as YAML writes it: plain when that reads back the same, else double-quoted."""
    try:
        plain_is_safe = value == value.strip() and value[:1] not in "\"'" and (
            yaml.safe_load(f"key: {value}") == {"key": value}
        )
    except yaml.YAMLError:
        plain_is_safe = False
    return value if plain_is_safe else json.dumps(value, ensure_ascii=False)


def _example_lines(examples: Iterable[str], indent: str) -> List[str]:
    return [f"{indent}- {example}" for example in examples]


def new_nlu_file(intent: str, examples: Iterable[str]) -> str:
    """A data/nlu/<intent>.yml file in the layout of the other files there."""
    header = ['version: "3.1"', "nlu:", f"- intent: {intent}", "  examples: |"]
    return _join(header + _example_lines(examples, "    "))


def add_examples(text: str, intent: str, examples: Iterable[str]) -> str:
    """Append examples at the end of `intent`'s examples in a data/nlu file."""
    lines = _lines(text)
    try:
        start = lines.index(f"- intent: {intent}")
    except ValueError as error:
        raise ValueError(f"no '- intent: {intent}' block in this file") from error
    last, indent = start, "    "
    for index in range(start + 1, len(lines)):
        if lines[index].startswith("- "):
            break
        match = _EXAMPLE_LINE.match(lines[index])
        if match:
            last, indent = index, match.group(1)
    if last == start:
        raise ValueError(f"the '{intent}' block has no examples to add to")
    return _join(lines[: last + 1] + _example_lines(examples, indent) + lines[last + 1:])


def add_domain_intent(text: str, intent: str) -> str:
    """Add the intent to domain.yml right after the last faq_ intent."""
    lines = _lines(text)
    faq = [(i, match) for i, line in enumerate(lines) if (match := _FAQ_INTENT_LINE.match(line))]
    if faq:
        at, indent = faq[-1][0] + 1, faq[-1][1].group(1)
    else:
        at, indent = lines.index("intents:") + 1, "  "
    return _join(lines[:at] + [f"{indent}- {intent}"] + lines[at:])


def add_faq_rule(text: str, intent: str) -> str:
    """Add a rule answering the intent with action_answer_faq, after the last faq_ rule."""
    lines = _lines(text)
    rule = [f"- rule: {intent}", "  steps:", f"  - intent: {intent}",
            "  - action: action_answer_faq"]
    starts = [i for i, line in enumerate(lines) if _FAQ_RULE_LINE.match(line)]
    if not starts:
        return _join(lines + rule)
    end = starts[-1] + 1
    while end < len(lines) and lines[end].startswith((" ", "\t")):
        end += 1
    return _join(lines[:end] + rule + lines[end:])


def answer_entry(topic: NewTopic, reviewed_on: dt.date) -> str:
    """The topic's entry for content/answers.yml, laid out like the entries already there."""
    wrapped = textwrap.wrap(" ".join(topic.answer.split()), width=ANSWER_WIDTH,
                            break_long_words=False, break_on_hyphens=False)
    lines = [
        f"  {topic.intent}:",
        f"    title: {yaml_text(topic.title)}",
        f"    stem_cell: {'true' if topic.stem_cell else 'false'}",
        "    answer: >-",
        *(f"      {line}" for line in wrapped),
        "    sources:",
    ]
    for source in topic.sources:
        lines += [f"      - label: {json.dumps(source.label, ensure_ascii=False)}",
                  f"        url: {yaml_text(source.url)}"]
    lines += [
        f"    reviewed_on: {reviewed_on.isoformat()}",
        f"    reviewed_by: {yaml_text(topic.reviewer)}",
        f"    follow_ups: [{', '.join(topic.follow_ups)}]",
    ]
    return _join(lines)


def add_answer(text: str, entry: str) -> str:
    """Append an answer entry at the end of content/answers.yml, after a blank line."""
    return text.rstrip("\n") + "\n\n" + entry
