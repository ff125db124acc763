"""Find the questions the assistant could not answer and group their variants."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Set, Tuple

from clinic_assistant.evaluation.examples import normalise_example
from clinic_assistant.reporting.grouping import SIMILARITY_THRESHOLD, Encode, group_similar
from clinic_assistant.reporting.intents import (
    FALLBACK, NONE_OF_THESE, OUT_OF_SCOPE, UNANSWERED_KINDS,
)
from clinic_assistant.reporting.texts import one_line, shorten
from clinic_assistant.reporting.tracker_events import UserMessage

#: Example texts shown per group.
EXAMPLES_SHOWN = 5
#: Characters of a wording given to the sentence encoder (it reads 256 tokens at most).
ENCODED_CHARACTERS = 2000
#: Distinct wordings grouped by meaning, most frequent first. The encoder takes about 10-40 ms
#: a wording on 2 cores, so this bounds the report's time on a very large store; rarer
#: wordings beyond it each form their own group (all are still counted and in unanswered.yml).
MAX_GROUPED_WORDINGS = 1000


@dataclass
class Unanswered:
    """A question a patient typed that was not answered, and in which ways it was missed."""

    message: UserMessage
    kinds: Set[str]


@dataclass(frozen=True)
class QuestionGroup:
    """Variants of one unanswered question."""

    messages: int
    conversations: int
    kinds: Dict[str, int]
    texts: Tuple[str, ...]
    first_seen: float
    last_seen: float
    #: False for a rare wording beyond MAX_GROUPED_WORDINGS, which was not compared by meaning.
    by_meaning: bool = True

    @property
    def examples(self) -> Tuple[str, ...]:
        """The most frequent wordings, long ones shortened."""
        return tuple(shorten(text) for text in self.texts[:EXAMPLES_SHOWN])


def unanswered_questions(messages: Sequence[UserMessage]) -> List[Unanswered]:
    """Typed messages that went to fallback or out of scope, or whose 'did you mean' failed.

    A clarification miss (`none_of_these`, usually the "Something else" button) is counted
    against the question the patient typed before it in the same conversation.
    """
    found: Dict[int, Unanswered] = {}
    last_question: Dict[Tuple[str, int], UserMessage] = {}
    for message in sorted(messages, key=lambda m: (m.timestamp, m.event_id)):
        target: Optional[UserMessage] = None
        if message.intent in (FALLBACK, OUT_OF_SCOPE) and message.is_typed:
            target = message
        elif message.intent == NONE_OF_THESE:
            target = last_question.get(message.conversation)
        if target is not None:
            entry = found.setdefault(target.event_id, Unanswered(target, set()))
            entry.kinds.add(UNANSWERED_KINDS[message.intent])
        if message.is_typed and message.intent != NONE_OF_THESE:
            last_question[message.conversation] = message
    return sorted(found.values(), key=lambda u: (u.message.timestamp, u.message.event_id))


def _key(text: str) -> str:
    return normalise_example(text) or " ".join(text.split())


def group_questions(
    questions: Sequence[Unanswered], encode: Encode, threshold: float = SIMILARITY_THRESHOLD,
    limit: int = MAX_GROUPED_WORDINGS,
) -> List[QuestionGroup]:
    """Group the questions by meaning, largest group first.

    Identical wordings (same words, any case and punctuation) are always one group; only the
    `limit` most frequent distinct wordings are compared by meaning.
    """
    by_key: Dict[str, List[Unanswered]] = {}
    for question in questions:
        by_key.setdefault(_key(question.message.text), []).append(question)
    # Most frequent wording first (then the earliest), so that it leads its group.
    keys = sorted(by_key, key=lambda k: (-len(by_key[k]), by_key[k][0].message.timestamp))
    wordings = [one_line(by_key[k][0].message.text) for k in keys]
    groups = []
    encoded = [wording[:ENCODED_CHARACTERS] for wording in wordings[:limit]]
    by_meaning = group_similar(encoded, encode, threshold)
    rare = [[index] for index in range(len(encoded), len(wordings))]
    for indices in by_meaning + rare:
        members = [q for i in indices for q in by_key[keys[i]]]
        kinds: Dict[str, int] = {label: 0 for label in UNANSWERED_KINDS.values()}
        for question in members:
            for kind in question.kinds:
                kinds[kind] += 1
        times = [q.message.timestamp for q in members]
        groups.append(QuestionGroup(
            messages=len(members),
            conversations=len({q.message.conversation for q in members}),
            kinds=kinds,
            texts=tuple(wordings[i] for i in indices),
            first_seen=min(times),
            last_seen=max(times),
            by_meaning=indices[0] < len(encoded),
        ))
    return sorted(groups, key=lambda g: (-g.messages, g.first_seen))
