"""Consistency and safety checks of the content against the domain and the training data.

Each problem names the file, the entry and what to do, in words clinic staff can act on.
Errors must be fixed before release; warnings (such as an overdue review) should be looked at.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Collection, Dict, Iterable, List, Mapping, Optional, Pattern, Tuple

from clinic_assistant.content import ANSWERS_FILE, MESSAGES_FILE, Content

FAQ_PREFIX = "faq_"
MAX_ANSWER_WORDS = 120
MAX_MORE_WORDS = 200
MIN_FAQ_EXAMPLES = 25
REVIEW_INTERVAL_DAYS = 365

#: Claims the assistant must never make. Each is allowed only when negated just before it
#: ("not FDA-approved", "no cure"), which is how honest answers use these words.
FORBIDDEN_CLAIMS: Tuple[Tuple[str, Pattern[str]], ...] = tuple(
    (label, re.compile(pattern, re.IGNORECASE))
    for label, pattern in (
        ("cure", r"\bcur(e|es|ed|ing)\b"),
        ("guarantee", r"\bguarantee(s|d)?\b"),
        ("miracle", r"\bmiracle\b"),
        ("100%", r"\b100 ?(%|percent)"),
        ("proven to", r"\bproven to\b"),
        ("FDA-approved", r"\bFDA[- ]approved\b|\bapproved by the FDA\b"),
        ("risk-free", r"\brisk[- ]free\b|\bcompletely safe\b"),
        ("permanent fix", r"\bpermanent(ly)? (fix|fixes|relief)\b"),
    )
)
_NEGATION = re.compile(r"\b(not|no|never|none|nor|without|isn't|aren't|cannot|can't)\b[^.]{0,30}$",
                       re.IGNORECASE)
#: A stem-cell answer must say the treatment is investigational ...
_INVESTIGATIONAL = re.compile(r"\b(investigational|experimental)\b", re.IGNORECASE)
#: ... and that it is not FDA-approved for disc disease.
_NOT_APPROVED = re.compile(
    r"\b(no|not|none)\b[^.]{0,60}\bFDA\b|\bFDA\b[^.]{0,60}\b(not|no)\b[^.]{0,20}\bapprov",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content, and where."""

    severity: str  # "error" or "warning"
    file: str
    entry: str
    message: str

    def __str__(self) -> str:
        return f"{self.severity.upper()}: {self.file}, entry '{self.entry}': {self.message}"


def forbidden_claims(text: str) -> List[str]:
    """Labels of the forbidden claims the text makes (negated uses are allowed)."""
    found = []
    for label, pattern in FORBIDDEN_CLAIMS:
        for match in pattern.finditer(text):
            if not _NEGATION.search(text[: match.start()]):
                found.append(label)
                break
    return found


def _word_count(text: str) -> int:
    return len(text.split())


def check_answers(
    content: Content,
    domain_intents: Collection[str],
    example_counts: Mapping[str, int],
    today: Optional[dt.date] = None,
    answers_file: str = f"content/{ANSWERS_FILE}",
) -> List[Problem]:
    """Check every answer entry against the domain, the training data and the safety rules."""
    today = today or dt.date.today()
    problems: List[Problem] = []

    def error(entry: str, message: str) -> None:
        problems.append(Problem("error", answers_file, entry, message))

    for intent in sorted(i for i in domain_intents if i.startswith(FAQ_PREFIX)):
        if intent not in content.answers:
            error(intent, "this FAQ intent has no answer entry. Add one to the answers file.")
    for intent, answer in content.answers.items():
        if intent not in domain_intents:
            error(intent, "no intent of this name in domain.yml. Add it there or fix the name.")
        if example_counts.get(intent, 0) < MIN_FAQ_EXAMPLES:
            error(
                intent,
                f"only {example_counts.get(intent, 0)} training examples in data/nlu/; "
                f"add at least {MIN_FAQ_EXAMPLES} varied example questions.",
            )
        if _word_count(answer.answer) > MAX_ANSWER_WORDS:
            error(intent, f"'answer' has {_word_count(answer.answer)} words; keep it to "
                  f"{MAX_ANSWER_WORDS} or fewer and move detail to 'more'.")
        if answer.more and _word_count(answer.more) > MAX_MORE_WORDS:
            error(intent, f"'more' has {_word_count(answer.more)} words; keep it to "
                  f"{MAX_MORE_WORDS} or fewer.")
        for follow_up in answer.follow_ups:
            if follow_up not in domain_intents:
                error(intent, f"follow-up '{follow_up}' is not an intent in domain.yml.")
            elif follow_up not in content.answers:
                error(intent, f"follow-up '{follow_up}' has no answer entry to show.")
        for field, text in (("answer", answer.answer), ("more", answer.more or "")):
            for claim in forbidden_claims(text):
                error(intent, f"'{field}' makes a forbidden claim ('{claim}'). Reword it: the "
                      "assistant never promises results or claims approval.")
        if answer.stem_cell:
            if not _INVESTIGATIONAL.search(answer.answer):
                error(intent, "stem-cell answer must say the treatment is investigational.")
            if not _NOT_APPROVED.search(answer.answer):
                error(intent, "stem-cell answer must say no stem-cell product is FDA-approved "
                      "for disc disease or back pain.")
        if answer.reviewed_on > today:
            error(intent, f"'reviewed_on' {answer.reviewed_on} is in the future.")
        elif (today - answer.reviewed_on).days > REVIEW_INTERVAL_DAYS:
            problems.append(Problem(
                "warning", answers_file, intent,
                f"last reviewed {answer.reviewed_on}, more than {REVIEW_INTERVAL_DAYS} days "
                "ago. Review the answer and its sources, then update 'reviewed_on'.",
            ))
    return problems


def check_messages(
    content: Content,
    domain_intents: Collection[str],
    required_messages: Iterable[str],
    messages_file: str = f"content/{MESSAGES_FILE}",
) -> List[Problem]:
    """Check the messages file: required keys, replies and buttons naming real intents."""
    problems: List[Problem] = []
    for key in required_messages:
        if key not in content.messages:
            problems.append(Problem("error", messages_file, f"messages.{key}",
                                    "this message is missing. Restore it from git."))
    for intent, reply in content.replies.items():
        if intent not in domain_intents:
            problems.append(Problem("error", messages_file, f"replies.{intent}",
                                    "no intent of this name in domain.yml."))
        for button in reply.buttons:
            if button not in domain_intents:
                problems.append(Problem("error", messages_file, f"replies.{intent}",
                                        f"button '{button}' is not an intent in domain.yml."))
            elif button not in content.answers and button not in content.button_titles:
                problems.append(Problem("error", messages_file, f"replies.{intent}",
                                        f"button '{button}' has no title under button_titles."))
    for intent in content.button_titles:
        if intent not in domain_intents:
            problems.append(Problem("error", messages_file, f"button_titles.{intent}",
                                    "no intent of this name in domain.yml."))
    for key, text in content.messages.items():
        for claim in forbidden_claims(text):
            problems.append(Problem("error", messages_file, f"messages.{key}",
                                    f"makes a forbidden claim ('{claim}'). Reword it."))
    return problems


def example_counts(pairs: Iterable[Tuple[str, str]]) -> Dict[str, int]:
    """Number of training examples per intent."""
    counts: Dict[str, int] = {}
    for intent, _ in pairs:
        counts[intent] = counts.get(intent, 0) + 1
    return counts


def domain_intents(domain_file: Path) -> List[str]:
    """The intents listed in a domain file."""
    import yaml

    data = yaml.safe_load(domain_file.read_text(encoding="utf-8")) or {}
    return [i if isinstance(i, str) else next(iter(i)) for i in data.get("intents", [])]


def run_all_checks(root: Path, today: Optional[dt.date] = None) -> List[Problem]:
    """Load the content of the project at `root` and run every check."""
    from clinic_assistant.content import load_content
    from clinic_assistant.evaluation.examples import read_examples

    content = load_content(root / "content")
    intents = domain_intents(root / "domain.yml")
    counts = example_counts(read_examples(sorted((root / "data" / "nlu").glob("*.yml"))))
    return check_answers(content, intents, counts, today) + check_messages(
        content, intents, REQUIRED_MESSAGES
    )


#: Message keys the actions and channels use.
REQUIRED_MESSAGES = (
    "welcome", "disclaimer", "emergency_advice", "emergency_follow_up", "personal_preface",
    "personal_preface_level", "consultation_offer", "sources_line", "no_more", "which_topic",
    "no_answer_yet", "clarify", "rephrase", "offer_person", "out_of_scope", "non_english",
    "symbols_only", "empty_message", "technical_problem",
)


def main() -> None:
    """Print every problem; exit 1 if there is an error."""
    import sys

    from clinic_assistant.content import ContentError
    from clinic_assistant.settings import PROJECT_ROOT

    try:
        problems = run_all_checks(PROJECT_ROOT)
    except ContentError as error:
        print(f"ERROR: {error}")
        sys.exit(1)
    for problem in problems:
        print(problem)
    errors = sum(p.severity == "error" for p in problems)
    print(f"content check: {errors} error(s), {len(problems) - errors} warning(s)")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
