"""Add a new FAQ topic: examples, intent, rule and answer, written into the project's own files.

    python -m clinic_assistant.authoring.add_topic --intent faq_exercise_after_injection \\
        --title "Exercise after the injection" --example "..." (5 or more) --answer "..." \\
        --source "Label|https://..." --reviewer "Dr A. Jones" [--follow-up faq_recovery ...] \\
        [--stem-cell] [--root DIR]

In a terminal, whatever is not given as a flag is asked for. Nothing is written unless the
whole topic is usable; then the checks of `make validate` run and the next steps are printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import yaml

from clinic_assistant.authoring import edits
from clinic_assistant.authoring.checks import run_checks
from clinic_assistant.authoring.examples import review_examples
from clinic_assistant.authoring.project import (
    ProjectFiles, ProjectState, load_state_or_explain,
)
from clinic_assistant.authoring.prompts import Ask, ask_lines, ask_text, ask_yes_no
from clinic_assistant.authoring.topic import (
    MIN_NEW_EXAMPLES, NewTopic, new_intent_problem, parse_source, topic_problems,
)
from clinic_assistant.content import Answer, ContentError, Source, load_content
from clinic_assistant.content_check import MIN_FAQ_EXAMPLES, answer_problems
from clinic_assistant.settings import PROJECT_ROOT

#: The values a topic needs, and the flag that gives each.
REQUIRED = {"intent": "--intent", "title": "--title", "examples": "--example (5 or more)",
            "answer": "--answer", "sources": "--source", "reviewer": "--reviewer"}


def build_parser() -> argparse.ArgumentParser:
    """The command-line flags."""
    parser = argparse.ArgumentParser(
        prog="make add-topic",
        description="Add a new FAQ question to the assistant. Flags not given are asked for.",
    )
    parser.add_argument("--intent", help="name of the topic, e.g. faq_exercise_after_injection")
    parser.add_argument("--title", help="short button text, e.g. 'Exercise after the injection'")
    parser.add_argument("--example", dest="examples", action="append", default=[],
                        help=f"an example question (repeat; at least {MIN_NEW_EXAMPLES})")
    parser.add_argument("--answer", help="the answer, plain language, 120 words at most")
    parser.add_argument("--source", dest="sources", action="append", default=[],
                        help="a source as 'Label|https://address' (repeat; 1 to 4)")
    parser.add_argument("--reviewer", help="who reviewed the answer, e.g. 'Dr A. Jones'")
    parser.add_argument("--follow-up", dest="follow_ups", action="append", default=[],
                        help="a related topic offered as a button, e.g. faq_recovery (repeat)")
    parser.add_argument("--stem-cell", action="store_true", default=None,
                        help="the answer is about stem-cell treatment")
    parser.add_argument("--root", type=Path, default=PROJECT_ROOT, help=argparse.SUPPRESS)
    return parser


def missing(args: argparse.Namespace) -> List[str]:
    """The required values not given at all."""
    return [name for name in REQUIRED if not getattr(args, name)]


def _source_problem(text: str) -> Optional[str]:
    try:
        parse_source(text)
    except ValueError as error:
        return str(error)
    return None


def _first_error(answer: Answer, state: ProjectState) -> Optional[str]:
    known = [*state.intents, answer.intent]
    answers = [*state.content.answers, answer.intent]
    problems = answer_problems(answer, known, answers, dt.date.today())
    errors = [message for severity, message in problems if severity == "error"]
    return errors[0][0].upper() + errors[0][1:] if errors else None


def ask_for_missing(
    args: argparse.Namespace, ask: Ask, files: ProjectFiles, state: ProjectState
) -> None:
    """Ask, one question at a time, for every value the flags did not give."""
    print("Adding a new question. Press Ctrl+C at any time to stop; nothing is written until "
          "the end.")
    draft = NewTopic(intent="", title="", examples=(), answer="", sources=(), reviewer="")
    if not args.intent or new_intent_problem(args.intent, files, state):
        if args.intent:
            print(f"  {new_intent_problem(args.intent, files, state)}")
        args.intent = ask_text(
            ask, "Topic name (starts with faq_, e.g. faq_exercise_after_injection)",
            lambda name: new_intent_problem(name, files, state),
        )
    draft = replace(draft, intent=args.intent)
    if not args.title:
        args.title = ask_text(
            ask, "Button title (a few words, e.g. 'Exercise after the injection')",
            lambda title: _first_error(replace(draft, title=title, answer="-").as_answer(
                dt.date.today()), state),
        )
    if len(args.examples) < MIN_NEW_EXAMPLES:

        def example_problem(line: str) -> Optional[str]:
            given = [(args.intent, example) for example in args.examples]
            review = review_examples(args.intent, [line], [*state.examples, *given],
                                     state.held_out)
            if review.refused:
                return review.refused[0]
            return "You gave this one already." if review.already_there else None

        args.examples += ask_lines(
            ask, f"Example questions, the way patients write them (at least "
                 f"{MIN_NEW_EXAMPLES}, later {MIN_FAQ_EXAMPLES} or more).",
            MIN_NEW_EXAMPLES - len(args.examples), example_problem,
        )
    if args.stem_cell is None:
        args.stem_cell = ask_yes_no(ask, "Is the answer about stem-cell treatment?")
    if not args.answer:
        draft = replace(draft, title=args.title, stem_cell=args.stem_cell)
        args.answer = ask_text(
            ask, "The answer (one paragraph, plain language, at most 120 words)",
            lambda text: _first_error(replace(draft, answer=text).as_answer(dt.date.today()),
                                      state),
        )
    if not args.sources:
        args.sources = ask_lines(ask, "Sources as Label|https://address, authoritative ones "
                                      "first.", 1, _source_problem)
    if not args.reviewer:
        args.reviewer = ask_text(ask, "Reviewed by (name and role)")
    if not args.follow_ups:
        args.follow_ups = ask_text(
            ask, "Related topics offered as buttons (names separated by spaces, or '-' for "
                 "none)", lambda text: _follow_up_problem(text, state),
        ).replace(",", " ").replace("-", " ").split()


def _follow_up_problem(text: str, state: ProjectState) -> Optional[str]:
    names = text.replace(",", " ").split()
    unknown = [name for name in names if name != "-" and name not in state.content.answers]
    if unknown:
        return (f"No topic called {', '.join(unknown)}. Existing topics: "
                f"{', '.join(state.content.answers)}.")
    return None


def make_topic(args: argparse.Namespace, state: ProjectState) -> Tuple[NewTopic, List[str]]:
    """The topic the values describe, and the problems found in its examples and sources."""
    problems: List[str] = []
    review = review_examples(args.intent, args.examples, state.examples, state.held_out)
    problems += [f"Example {reason}" for reason in review.refused]
    sources: List[Source] = []
    for text in args.sources:
        try:
            sources.append(parse_source(text))
        except ValueError as error:
            problems.append(str(error))
    topic = NewTopic(
        intent=args.intent.strip(), title=" ".join((args.title or "").split()),
        examples=tuple(review.new), answer=" ".join((args.answer or "").split()),
        sources=tuple(sources), reviewer=" ".join((args.reviewer or "").split()),
        follow_ups=tuple(args.follow_ups), stem_cell=bool(args.stem_cell),
    )
    return topic, problems


def planned_edits(topic: NewTopic, files: ProjectFiles, today: dt.date) -> Dict[Path, str]:
    """The new text of every file the topic touches."""

    def read(path: Path) -> str:
        return path.read_text(encoding="utf-8")

    return {
        files.nlu_file(topic.intent): edits.new_nlu_file(topic.intent, topic.examples),
        files.domain: edits.add_domain_intent(read(files.domain), topic.intent),
        files.faq_rules: edits.add_faq_rule(read(files.faq_rules), topic.intent),
        files.answers: edits.add_answer(read(files.answers), edits.answer_entry(topic, today)),
    }


def edit_problem(changes: Dict[Path, str], files: ProjectFiles) -> Optional[str]:
    """Why the edited files would not load (None if they do): a safety net before writing."""
    try:
        for text in changes.values():
            yaml.safe_load(text)
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / "content"
            shutil.copytree(files.content_dir, copy)
            (copy / files.answers.name).write_text(changes[files.answers], encoding="utf-8")
            load_content(copy)
    except (yaml.YAMLError, ContentError) as error:
        return f"The new entry would break a file ({error}). Nothing was written."
    return None


def next_steps(topic: NewTopic) -> str:
    """What to do after the topic is added."""
    more = max(MIN_FAQ_EXAMPLES - len(topic.examples), 0)
    add = (f"Add {more} or more example questions, the way patients write (short and long, "
           "misspelled, about themselves):" if more else
           "More example questions always help (the way patients really write):")
    return "\n".join([
        "Next steps:",
        f"  1. {add}",
        f"     make add-examples ARGS='--intent {topic.intent} --example \"...\" "
        "--example \"...\"'",
        "  2. make validate   check everything again",
        "  3. make train      retrain the assistant (about 6 minutes)",
        "  4. make shell      ask your question and see the answer",
        "  See docs/staff-guide.md for details.",
    ])


def main(argv: Optional[List[str]] = None, ask: Ask = input,
         interactive: Optional[bool] = None) -> int:
    """Add the topic; 0 when written and nothing else needs fixing, 1 otherwise, 2 on usage."""
    args = build_parser().parse_args(argv)
    files = ProjectFiles(args.root.resolve())
    state = load_state_or_explain(files)
    if state is None:
        return 1
    interactive = sys.stdin.isatty() if interactive is None else interactive
    if missing(args) or (interactive and len(args.examples) < MIN_NEW_EXAMPLES):
        if not interactive:
            flags = ", ".join(REQUIRED[name] for name in missing(args))
            print(f"Missing: {flags}. Give them as flags (see --help), or run the command in a "
                  "terminal to be asked for each one.")
            return 2
        try:
            ask_for_missing(args, ask, files, state)
        except (KeyboardInterrupt, EOFError):
            print("\nStopped. Nothing was written.")
            return 1

    today = dt.date.today()
    topic, problems = make_topic(args, state)
    problems += topic_problems(topic, files, state, today)
    if problems:
        print("Nothing was written. Please fix the following and run the command again:")
        print("\n".join(f"  - {problem}" for problem in problems))
        return 1
    changes = planned_edits(topic, files, today)
    problem = edit_problem(changes, files)
    if problem:
        print(problem)
        return 1
    for path, text in changes.items():
        path.write_text(text, encoding="utf-8")

    print(f"Added the topic '{topic.intent}' ({topic.title}):")
    print(f"  {files.relative(files.nlu_file(topic.intent))}: {len(topic.examples)} example "
          "questions")
    print("  domain.yml: the intent, after the other faq_ intents")
    print("  data/rules/faq.yml: a rule to answer it with action_answer_faq")
    print(f"  content/answers.yml: the answer, reviewed on {today} by {topic.reviewer}")
    clean = run_checks(files.root, new_intent=topic.intent)
    print(next_steps(topic))
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
