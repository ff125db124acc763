"""A new FAQ topic as clinic staff describe it, and everything that would stop it being added."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import List, Optional, Tuple

from clinic_assistant.authoring.project import ProjectFiles, ProjectState
from clinic_assistant.content import Answer, Source
from clinic_assistant.content_check import MIN_FAQ_EXAMPLES, answer_problems, intent_name_problem

#: Fewest example questions a new topic starts with (it needs MIN_FAQ_EXAMPLES before release).
MIN_NEW_EXAMPLES = 5
SOURCE_SEPARATOR = "|"


@dataclass(frozen=True)
class NewTopic:
    """Everything a new FAQ topic needs."""

    intent: str
    title: str
    examples: Tuple[str, ...]
    answer: str
    sources: Tuple[Source, ...]
    reviewer: str
    follow_ups: Tuple[str, ...] = ()
    stem_cell: bool = False

    def as_answer(self, reviewed_on: dt.date) -> Answer:
        """The answer entry this topic adds to content/answers.yml."""
        return Answer(
            intent=self.intent, title=self.title, answer=self.answer, more=None,
            sources=self.sources, reviewed_on=reviewed_on, reviewed_by=self.reviewer,
            follow_ups=self.follow_ups, stem_cell=self.stem_cell,
        )


def parse_source(text: str) -> Source:
    """A source written as 'Label|https://address' (raises ValueError with a plain message)."""
    label, separator, url = text.partition(SOURCE_SEPARATOR)
    label, url = " ".join(label.split()), url.strip()
    if not separator or not label or not url:
        raise ValueError(f"The source '{text}' must be written as Label|https://address, for "
                         "example 'NHS: Slipped disc|https://www.nhs.uk/conditions/slipped-disc/'.")
    if not url.startswith(("https://", "http://")) or " " in url:
        raise ValueError(f"The address of the source '{label}' must start with https:// "
                         "and have no spaces.")
    return Source(label=label, url=url)


def _existing_places(intent: str, files: ProjectFiles, state: ProjectState) -> List[str]:
    places = []
    if intent in state.intents:
        places.append("domain.yml")
    if intent in state.content.answers:
        places.append("content/answers.yml")
    if files.nlu_file(intent).exists():
        places.append(files.relative(files.nlu_file(intent)))
    if any(name == intent for name, _ in state.examples) and not places:
        places.append("data/nlu/")
    return places


def new_intent_problem(intent: str, files: ProjectFiles, state: ProjectState) -> Optional[str]:
    """Why `intent` cannot be the name of a new topic, or None if it can."""
    name_problem = intent_name_problem(intent)
    if name_problem:
        return name_problem[0].upper() + name_problem[1:]
    places = _existing_places(intent, files, state)
    if places:
        return (f"There is already an intent called '{intent}' (in {', '.join(places)}). "
                "To give it more example questions use make add-examples; to change its "
                "answer, edit content/answers.yml. For a new topic choose a new name.")
    return None


def topic_problems(
    topic: NewTopic, files: ProjectFiles, state: ProjectState, today: dt.date
) -> List[str]:
    """Why the topic cannot be added as it is, in plain sentences (empty: it can)."""
    intent_problem = new_intent_problem(topic.intent, files, state)
    if intent_problem:
        return [intent_problem]
    problems: List[str] = []
    for field, value in (("title", topic.title), ("answer", topic.answer),
                         ("reviewer", topic.reviewer)):
        if not value.strip():
            problems.append(f"The {field} is missing (--{field}).")
    if len(topic.examples) < MIN_NEW_EXAMPLES:
        problems.append(
            f"Only {len(topic.examples)} different example question(s) given: write at least "
            f"{MIN_NEW_EXAMPLES} to start with (and {MIN_FAQ_EXAMPLES} or more before the "
            "assistant goes live), the way patients would ask."
        )
    if not topic.sources:
        problems.append("At least one source is needed: --source 'Label|https://address' "
                        "(authoritative ones first).")
    if topic.title.strip() and topic.answer.strip():
        known = [*state.intents, topic.intent]
        answers = [*state.content.answers, topic.intent]
        for severity, message in answer_problems(topic.as_answer(today), known, answers, today,
                                                 state.content.source_policy, state.content.clinic):
            if severity == "error":
                problems.append(message[0].upper() + message[1:])
    return problems
