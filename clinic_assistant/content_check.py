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

from clinic_assistant.content import (
    ANSWERS_FILE, FEEDBACK_TITLES_KEY, MESSAGES_FILE, Answer, ClinicFacts, Content, ContentError,
    render,
)
from clinic_assistant.feedback import FEEDBACK_INTENT, RATINGS
from clinic_assistant.source_policy import POLICY_FILE, SourcePolicy
from clinic_assistant.settings import PROJECT_ROOT
from clinic_assistant.yaml_files import read_yaml_file

FAQ_PREFIX = "faq_"
#: What a FAQ intent may be called: faq_ then lowercase letters, digits and underscores.
FAQ_INTENT_NAME = re.compile(r"faq_[a-z0-9]+(_[a-z0-9]+)*")
MAX_ANSWER_WORDS = 120
MAX_MORE_WORDS = 200
#: Most sources an answer lists (the most authoritative ones; content/answers.yml's header).
MAX_SOURCES = 4
MIN_FAQ_EXAMPLES = 25
#: The kind of the problem "too few training examples" (a new topic has it at first).
TOO_FEW_EXAMPLES = "too_few_examples"
REVIEW_INTERVAL_DAYS = 365
#: Highest Flesch-Kincaid grade (US school grade, textstat 0.7.3) an answer, its "more" text, a
#: message or a reply may have. Patient leaflets aim at grade 8 or below; the extra half grade
#: allows for the few medical words an answer cannot avoid (disc, sciatica, investigational),
#: which are counted like any other word. Each text is measured on its own, after its
#: placeholders are filled in; titles and sources are not part of it.
MAX_READING_GRADE = 8.5
#: Run-time placeholders filled with typical values before a message is measured.
SAMPLE_RUNTIME = {
    "spine_level": "L5-S1", "date": "1 December 2026", "topic": "Cost and insurance",
    "sources": "NHS, FDA, NICE", "name": "Sam", "reference": "CB-7K3QX",
    "preferred_time": "weekday mornings", "contact": "your phone number", "days": "30",
}

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
    #: What kind of problem, for tools that treat some kinds differently ("" if none).
    kind: str = ""

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


def reading_grade(text: str) -> float:
    """The text's Flesch-Kincaid grade level (textstat 0.7.3, syllables by pyphen)."""
    import textstat  # imported here: it builds its hyphenation dictionary on first use

    return float(textstat.flesch_kincaid_grade(text))


def reading_problem(field: str, text: str, clinic: Optional[ClinicFacts] = None) -> Optional[str]:
    """Why `text` is too hard to read (grade above MAX_READING_GRADE), or None."""
    filled = render(text, clinic, **SAMPLE_RUNTIME) if clinic else text
    grade = reading_grade(filled)
    if grade <= MAX_READING_GRADE:
        return None
    return (f"'{field}' reads at US school grade {grade:.1f} (Flesch-Kincaid); keep it at "
            f"{MAX_READING_GRADE} or below. Use shorter sentences and everyday words, and "
            "explain a medical word the first time it comes up.")


def reading_grades(content: Content) -> List[Tuple[str, float]]:
    """(entry, grade) of every text the check measures: answers, "more" texts, messages and
    replies, with placeholders filled in as the check fills them."""
    texts = [(f"{intent}.{field}", text) for intent, answer in content.answers.items()
             for field, text in (("answer", answer.answer), ("more", answer.more)) if text]
    texts += [(f"messages.{key}", text) for key, text in content.messages.items()]
    texts += [(f"replies.{intent}", reply.text) for intent, reply in content.replies.items()]
    return [(entry, reading_grade(content.render(text, **SAMPLE_RUNTIME)))
            for entry, text in texts]


def grades_report(content: Content) -> str:
    """Every measured text's grade, hardest first, and the max and median (--grades)."""
    import statistics

    grades = sorted(reading_grades(content), key=lambda item: -item[1])
    lines = [f"{grade:5.1f}  {entry}" for entry, grade in grades]
    values = [grade for _, grade in grades]
    lines.append(f"reading grade (Flesch-Kincaid, textstat): max {max(values):.1f}, median "
                 f"{statistics.median(values):.1f}, {sum(v > MAX_READING_GRADE for v in values)} "
                 f"of {len(values)} texts above {MAX_READING_GRADE}")
    return "\n".join(lines)


def source_problems(answer: Answer, policy: Optional[SourcePolicy]) -> List[str]:
    """A message for every source of `answer` that is not on an allowed site of the policy."""
    if policy is None:
        return []
    kinds = "; ".join(policy.kinds.values())
    return [
        f"source '{source.label}' ({source.url}) is not on an allowed site. Answers may cite "
        f"only: {kinds} (content/{POLICY_FILE}). Cite an authoritative source for the same fact, "
        "write it as what clinics say without citing a clinic, or drop the fact."
        for source in answer.sources if policy.site_for(source.url) is None
    ]


def intent_name_problem(name: str) -> Optional[str]:
    """Why `name` cannot be a FAQ intent name, or None if it can."""
    if FAQ_INTENT_NAME.fullmatch(name):
        return None
    return (f"the name '{name}' is not allowed: a FAQ intent name starts with 'faq_' and uses "
            "only lowercase letters, digits and single underscores, e.g. "
            "faq_exercise_after_injection.")


def answer_problems(
    answer: Answer,
    domain_intents: Collection[str],
    answer_intents: Collection[str],
    today: dt.date,
    policy: Optional[SourcePolicy] = None,
    clinic: Optional[ClinicFacts] = None,
) -> List[Tuple[str, str]]:
    """(severity, message) for everything wrong with one answer entry on its own (its sources
    are checked against `policy` when given; placeholders are filled from `clinic` before its
    reading grade is measured)."""
    problems: List[Tuple[str, str]] = []

    def error(message: str) -> None:
        problems.append(("error", message))

    name_problem = intent_name_problem(answer.intent)
    if name_problem:
        error(name_problem[0].upper() + name_problem[1:])
    if answer.intent not in domain_intents:
        error("no intent of this name in domain.yml. Add it there or fix the name.")
    if _word_count(answer.answer) > MAX_ANSWER_WORDS:
        error(f"'answer' has {_word_count(answer.answer)} words; keep it to "
              f"{MAX_ANSWER_WORDS} or fewer and move detail to 'more'.")
    if answer.more and _word_count(answer.more) > MAX_MORE_WORDS:
        error(f"'more' has {_word_count(answer.more)} words; keep it to "
              f"{MAX_MORE_WORDS} or fewer.")
    for follow_up in answer.follow_ups:
        if follow_up not in domain_intents:
            error(f"follow-up '{follow_up}' is not an intent in domain.yml.")
        elif follow_up not in answer_intents:
            error(f"follow-up '{follow_up}' has no answer entry to show.")
    for field, text in (("title", answer.title), ("answer", answer.answer),
                        ("more", answer.more or "")):
        for claim in forbidden_claims(text):
            error(f"'{field}' makes a forbidden claim ('{claim}'). Reword it: the "
                  "assistant never promises results or claims approval.")
    if len(answer.sources) > MAX_SOURCES:
        error(f"{len(answer.sources)} sources listed; list at most {MAX_SOURCES}, the most "
              "authoritative ones.")
    for message in source_problems(answer, policy):
        error(message)
    for field, text in (("answer", answer.answer), ("more", answer.more or "")):
        problem = reading_problem(field, text, clinic) if text else None
        if problem:
            error(problem)
    if answer.stem_cell:
        if not _INVESTIGATIONAL.search(answer.answer):
            error("stem-cell answer must say the treatment is investigational.")
        if not _NOT_APPROVED.search(answer.answer):
            error("stem-cell answer must say no stem-cell product is FDA-approved "
                  "for disc disease or back pain.")
    if answer.reviewed_on > today:
        error(f"'reviewed_on' {answer.reviewed_on} is in the future.")
    elif (today - answer.reviewed_on).days > REVIEW_INTERVAL_DAYS:
        problems.append((
            "warning",
            f"last reviewed {answer.reviewed_on}, more than {REVIEW_INTERVAL_DAYS} days "
            "ago. Review the answer and its sources, then update 'reviewed_on'.",
        ))
    return problems


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

    for intent in sorted(i for i in domain_intents if i.startswith(FAQ_PREFIX)):
        if intent not in content.answers:
            problems.append(Problem("error", answers_file, intent, "this FAQ intent has no "
                                    "answer entry. Add one to the answers file."))
    for intent, answer in content.answers.items():
        count = example_counts.get(intent, 0)
        if count < MIN_FAQ_EXAMPLES:
            problems.append(Problem(
                "error", answers_file, intent,
                f"only {count} training examples in data/nlu/; add at least "
                f"{MIN_FAQ_EXAMPLES} varied example questions (make add-examples "
                f"ARGS='--intent {intent} --example \"...\"').",
                kind=TOO_FEW_EXAMPLES,
            ))
        for severity, message in answer_problems(answer, domain_intents, content.answers, today,
                                                 content.source_policy, content.clinic):
            problems.append(Problem(severity, answers_file, intent, message))
    return problems


def check_domain(intents: List[str], domain_file: str = "domain.yml") -> List[Problem]:
    """The domain lists each intent once."""
    seen = set()
    problems = []
    for intent in intents:
        if intent in seen:
            problems.append(Problem("error", domain_file, intent, "this intent is listed twice "
                                    "under 'intents:'. Delete one of the two lines."))
        seen.add(intent)
    return problems


def check_messages(
    content: Content,
    domain_intents: Collection[str],
    required_messages: Mapping[str, str],
    messages_file: str = f"content/{MESSAGES_FILE}",
) -> List[Problem]:
    """Check the messages file: the keys the code asks for (key -> where), replies and buttons
    naming real intents."""
    problems: List[Problem] = []
    for key, where in required_messages.items():
        if key not in content.messages:
            problems.append(Problem("error", messages_file, f"messages.{key}",
                                    f"this message is missing, and the code asks for it "
                                    f"({where}). Restore it from git."))
    for intent, reply in content.replies.items():
        if intent not in domain_intents:
            problems.append(Problem("error", messages_file, f"replies.{intent}",
                                    "no intent of this name in domain.yml."))
        for button in reply.buttons:
            if button not in domain_intents:
                problems.append(Problem("error", messages_file, f"replies.{intent}",
                                        f"button '{button}' is not an intent in domain.yml."))
            elif button == FEEDBACK_INTENT:
                problems.append(Problem("error", messages_file, f"replies.{intent}",
                                        f"button '{button}' cannot be offered in a reply: the "
                                        "rating buttons come under every answer by themselves. "
                                        "Remove it from the list."))
            elif button not in content.answers and button not in content.button_titles:
                problems.append(Problem("error", messages_file, f"replies.{intent}",
                                        f"button '{button}' has no title under button_titles."))
    for intent in content.button_titles:
        if intent not in domain_intents:
            problems.append(Problem("error", messages_file, f"button_titles.{intent}",
                                    "no intent of this name in domain.yml."))
    problems += _check_feedback_titles(content, domain_intents, messages_file)
    for key, text in content.messages.items():
        for claim in forbidden_claims(text):
            problems.append(Problem("error", messages_file, f"messages.{key}",
                                    f"makes a forbidden claim ('{claim}'). Reword it."))
    texts = [(f"messages.{key}", text) for key, text in content.messages.items()]
    texts += [(f"replies.{intent}", reply.text) for intent, reply in content.replies.items()]
    for entry, text in texts:
        problem = reading_problem("text", text, content.clinic)
        if problem:
            problems.append(
                Problem("error", messages_file, entry, problem[0].upper() + problem[1:]))
    return problems


def _check_feedback_titles(
    content: Content, domain_intents: Collection[str], messages_file: str
) -> List[Problem]:
    """The rating buttons under every answer need a title for each rating, and the intent."""
    entry = f"button_titles.{FEEDBACK_TITLES_KEY}"
    problems = [
        Problem("error", messages_file, entry, f"needs a title for the rating '{rating}' "
                f"(for example '{rating}: {rating.capitalize()}'); the buttons under every "
                "answer use it.")
        for rating in RATINGS if rating not in content.feedback_titles
    ]
    problems += [
        Problem("error", messages_file, f"{entry}.{rating}", "is not a rating. Use only "
                f"{' and '.join(RATINGS)}.")
        for rating in content.feedback_titles if rating not in RATINGS
    ]
    if FEEDBACK_INTENT not in domain_intents:
        problems.append(Problem("error", messages_file, entry, f"the intent '{FEEDBACK_INTENT}' "
                                "is not in domain.yml, so the rating buttons would not work."))
    return problems


def example_counts(pairs: Iterable[Tuple[str, str]]) -> Dict[str, int]:
    """Number of training examples per intent."""
    counts: Dict[str, int] = {}
    for intent, _ in pairs:
        counts[intent] = counts.get(intent, 0) + 1
    return counts


def domain_intents(domain_file: Path) -> List[str]:
    """The intents listed in a domain file, in order (duplicates kept)."""
    data = read_yaml_file(domain_file, domain_file.parent, mapping=True)
    return [i if isinstance(i, str) else next(iter(i)) for i in data.get("intents") or []]


def training_examples(root: Path) -> List[Tuple[str, str]]:
    """(intent, text) pairs of every file in data/nlu/ of the project at `root`."""
    from clinic_assistant.evaluation.examples import read_examples

    return read_examples(sorted((root / "data" / "nlu").glob("*.yml")), root)


def run_all_checks(root: Path, today: Optional[dt.date] = None) -> List[Problem]:
    """Load the content of the project at `root` and run every check."""
    from clinic_assistant.content import load_content

    content = load_content(root / "content")
    intents = domain_intents(root / "domain.yml")
    counts = example_counts(training_examples(root))
    return (
        check_domain(intents)
        + check_answers(content, intents, counts, today)
        + check_messages(content, intents, required_messages())
        + check_pattern_files(root)
        + check_handoff_file(root, content.clinic.time_zone)
    )


def check_pattern_files(root: Path) -> List[Problem]:
    """The emergency rules and the scope groups load and compile (a broken file would stop the
    Rasa server from loading the model)."""
    from clinic_assistant.red_flags import load_rules
    from clinic_assistant.scope import load_scope_groups

    problems: List[Problem] = []
    files = (("red_flags.yml", "rules", load_rules), ("scope.yml", "groups", load_scope_groups))
    for name, entry, load in files:
        try:
            load(root / "content" / name)
        except ContentError as error:  # missing file, invalid YAML, a key twice
            problems.append(_file_problem(error, root, entry))
        except (OSError, ValueError, AttributeError, TypeError) as error:
            problems.append(Problem("error", f"content/{name}", entry,
                                    f"cannot be read ({error}). Fix the pattern or restore the "
                                    "file from git."))
    return problems


def check_handoff_file(root: Path, time_zone: str) -> List[Problem]:
    """content/handoff.yml loads: staff hours, waiting time and retention periods can be read
    (a broken file would stop the staff console and the retention jobs)."""
    from clinic_assistant.handoff.rules import HANDOFF_FILE, HandoffRulesError, load_handoff_rules

    path = root / "content" / HANDOFF_FILE
    try:
        load_handoff_rules(path.parent, time_zone)
    except ContentError as error:
        return [_file_problem(error, root, "handoff")]
    except HandoffRulesError as error:
        problem = str(error).removeprefix(f"{path}: ").rstrip(".")
        return [Problem(severity="error", file=f"content/{HANDOFF_FILE}", entry="handoff",
                        message=f"{problem}. See docs/handoff.md for what each value means.")]
    return []


def _file_problem(error: ContentError, root: Path, entry: str) -> Problem:
    """A file that cannot be read as a Problem, with the file named relative to the project."""
    return Problem(severity="error", file=_relative(error.file, root),
                   entry=error.entry or entry, message=error.problem)


#: Message keys the actions and channels use.
def required_messages(code_root: Path = PROJECT_ROOT) -> Dict[str, str]:
    """Every message key the code asks for, with its first use ("file:line"), read from the
    code itself (clinic_assistant/message_keys.py), so the list cannot fall behind it."""
    from clinic_assistant.message_keys import message_key_uses

    found: Dict[str, str] = {}
    for use in message_key_uses(code_root):
        found.setdefault(use.key, f"{use.file}:{use.line}")
    return found


def _relative(file: str, root: Path) -> str:
    try:
        return str(Path(file).resolve().relative_to(root.resolve()))
    except ValueError:
        return file


def describe(error: ContentError, root: Path) -> str:
    """A content error as one ERROR line, with the file named relative to the project."""
    entry = f", entry '{error.entry}'" if error.entry else ""
    return f"ERROR: {_relative(error.file, root)}{entry}: {error.problem}"


def summary(problems: List[Problem]) -> str:
    """One closing line: how many errors and warnings, and what they mean."""
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if not problems:
        return "content check: passed, no problems found."
    return (f"content check: {errors} error(s), {warnings} warning(s). Fix every ERROR before "
            "the assistant is used; a WARNING should be looked at soon.")


def main(argv: Optional[List[str]] = None) -> None:
    """Print every problem in plain words; exit 1 if there is an error."""
    import argparse
    import sys

    from clinic_assistant.settings import PROJECT_ROOT

    parser = argparse.ArgumentParser(description="Check the content files for mistakes.")
    parser.add_argument("--root", type=Path, default=PROJECT_ROOT, help="the project folder")
    parser.add_argument("--grades", action="store_true",
                        help="only print the reading grade of every answer and message")
    args = parser.parse_args(argv)
    try:
        if args.grades:
            from clinic_assistant.content import load_content

            print(grades_report(load_content(args.root / "content")))
            return
        problems = run_all_checks(args.root)
    except ContentError as error:
        print(describe(error, args.root))
        print("content check: stopped at the first problem above. Fix it and run it again.")
        sys.exit(1)
    for problem in problems:
        print(problem)
    print(summary(problems))
    sys.exit(1 if any(p.severity == "error" for p in problems) else 0)


if __name__ == "__main__":
    main()
