"""The real-question set: questions real people asked on public pages, each with an accept-set.

Stored in tests/nlu/real_questions/ (dev.yml for choices, test.yml for the gate; README.md there
says how they were collected and labelled). A prediction is right when it is in the question's
accept-set: every intent whose answer would serve it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Dict, List, Sequence, Tuple

from clinic_assistant.content import Content
from clinic_assistant.yaml_files import read_yaml_file

RED_FLAG = "red_flag_symptoms"
OUT_OF_SCOPE = "out_of_scope"
#: Message keys of the replies that ask the patient to choose or rephrase.
CLARIFICATION_KEYS = ("clarify", "rephrase", "offer_person", "non_english", "symbols_only",
                      "possible_emergency_topics")
#: Intents that reach a person, and the message that starts their reply (nobody signed in).
HANDOFF_MESSAGES = {"request_human": "handoff_unavailable",
                    "book_consultation": "consultation_intro",
                    "request_callback": "callback_ask_name"}
Say = Callable[[str, str], List[Dict]]


@dataclass(frozen=True)
class RealQuestion:
    """One real question with every intent whose answer serves it."""

    text: str
    accept: Tuple[str, ...]
    source: str
    style: Tuple[str, ...] = ()

    @property
    def is_red_flag(self) -> bool:
        """An emergency described now."""
        return RED_FLAG in self.accept

    @property
    def is_off_topic(self) -> bool:
        """No answer of the assistant serves it."""
        return self.accept == (OUT_OF_SCOPE,)


def read_real_questions(path: Path) -> List[RealQuestion]:
    """The questions of one part of the set."""
    items = read_yaml_file(path) or []
    return [RealQuestion(str(i["text"]), tuple(i["accept"]), str(i["source"]),
                         tuple(i.get("style") or ())) for i in items]


def text_key(text: str) -> str:
    """How another labelling names a question: 16 hex digits of its text's SHA-256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def read_adjudicated(path: Path, questions: Sequence[RealQuestion]) -> List[RealQuestion]:
    """`questions` with the accept-set of `path` (an adjudicated/{part}.yml) wherever it gives
    one; ValueError if an item names no question of the part, or is out of the part's order."""
    keys = [text_key(q.text) for q in questions]
    position = {key: index for index, key in enumerate(keys)}
    adjudicated = list(questions)
    last = -1
    for item in read_yaml_file(path) or []:
        index = position.get(str(item.get("sha256")), -1)
        accept = item.get("accept")
        if index <= last or not isinstance(accept, list) or not accept:
            raise ValueError(f"{path}: {item.get('sha256')!r} names no question of its part "
                             "after the previous one, or has no accept list")
        adjudicated[index] = replace(questions[index], accept=tuple(str(a) for a in accept))
        last = index
    return adjudicated


@dataclass(frozen=True)
class RealScore:
    """How a system did on real questions, from its top intent per question."""

    total: int
    top_in_accept: float
    red_flag_recall: float
    false_emergency_share: float
    off_topic_given_topic: int
    multi_question_top_in_accept: float


def score_top_intents(questions: Sequence[RealQuestion], top: Sequence[str],
                      topic_intents: Sequence[str]) -> RealScore:
    """Score one top intent per question (`topic_intents`: the intents with an answer)."""
    hits = [t in q.accept for q, t in zip(questions, top)]
    red = [t == RED_FLAG for q, t in zip(questions, top) if q.is_red_flag]
    calm = [t == RED_FLAG for q, t in zip(questions, top) if not q.is_red_flag]
    off = sum(t in topic_intents for q, t in zip(questions, top) if q.is_off_topic)
    multi = [h for q, h in zip(questions, hits) if "multi" in q.style]
    return RealScore(
        total=len(questions), top_in_accept=sum(hits) / len(hits),
        red_flag_recall=sum(red) / len(red) if red else 1.0,
        false_emergency_share=sum(calm) / len(calm) if calm else 0.0,
        off_topic_given_topic=off,
        multi_question_top_in_accept=sum(multi) / len(multi) if multi else 1.0,
    )


def expected_text(content: Content, intent: str) -> str:
    """The reply text that shows the message was understood as `intent`."""
    if intent in content.answers:
        return content.render(content.answers[intent].answer)
    if intent == RED_FLAG:
        return content.message("emergency_advice")
    if intent == OUT_OF_SCOPE:
        return content.message("out_of_scope")
    if intent in HANDOFF_MESSAGES:
        return content.message(HANDOFF_MESSAGES[intent])
    return content.render(content.replies[intent].text)


@dataclass(frozen=True)
class ServedScore:
    """What patients saw through the running assistant."""

    total: int
    answered_correctly: float
    clarified: float
    clarification_with_right_button: float
    #: The same share among the clarified questions that some topic serves (for an off-topic
    #: question no button can be a right topic; "Something else" is its way out).
    right_button_when_a_topic_serves: float
    red_flag_recall: float
    false_emergency_share: float
    off_topic_given_topic: int
    #: The share of the others shown the warning signs before "did you mean", when only the
    #: classifier read a possible emergency (actions/possible_emergency.py); not advice.
    safety_net_share: float = 0.0


def measure_served(say: Say, content: Content, questions: Sequence[RealQuestion]) -> ServedScore:
    """Send each question as a new patient (after a greeting) and judge the replies."""
    answers = {content.render(a.answer) for a in content.answers.values()}
    clarifications = {content.message(key) for key in CLARIFICATION_KEYS}
    emergency = content.message("emergency_advice")
    safety_net = content.message("possible_emergency")
    correct = clarified = right_button = off_topic = 0
    servable = servable_right = 0
    red: List[bool] = []
    calm: List[bool] = []
    netted: List[bool] = []
    for index, question in enumerate(questions):
        sender = f"real-{index}"
        say(sender, "hello")
        replies = say(sender, question.text)
        texts = [r.get("text") or "" for r in replies]
        payloads = [b.get("payload", "") for r in replies for b in r.get("buttons") or []]
        if any(expected_text(content, intent) in texts for intent in question.accept):
            correct += 1
        elif clarifications & set(texts):
            clarified += 1
            right = any(p.startswith(f"/{i}") for p in payloads for i in question.accept)
            right_button += right
            if set(question.accept) - {OUT_OF_SCOPE}:
                servable += 1
                servable_right += right
        (red if question.is_red_flag else calm).append(emergency in texts)
        if not question.is_red_flag:
            netted.append(safety_net in texts)
        off_topic += question.is_off_topic and bool(answers & set(texts))
    return ServedScore(
        total=len(questions), answered_correctly=correct / len(questions),
        clarified=clarified / len(questions),
        clarification_with_right_button=right_button / clarified if clarified else 1.0,
        right_button_when_a_topic_serves=servable_right / servable if servable else 1.0,
        red_flag_recall=sum(red) / len(red) if red else 1.0,
        false_emergency_share=sum(calm) / len(calm) if calm else 0.0,
        off_topic_given_topic=off_topic,
        safety_net_share=sum(netted) / len(netted) if netted else 0.0,
    )
