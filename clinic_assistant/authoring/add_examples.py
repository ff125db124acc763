"""Add example questions to an existing intent, at the end of its examples in data/nlu/.

    python -m clinic_assistant.authoring.add_examples --intent faq_cost \\
        --example "is there a payment plan" --example "..." [--root DIR]

Examples already there are skipped. Nothing is written if any example is refused: a sentence
from the held-out test set (tests/nlu/heldout.yml), or one that belongs to another intent.
In a terminal, missing flags are asked for.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import List, Optional

from clinic_assistant.authoring.edits import add_examples
from clinic_assistant.authoring.examples import review_examples
from clinic_assistant.authoring.project import (
    ProjectFiles, ProjectState, load_state_or_explain,
)
from clinic_assistant.authoring.prompts import Ask, ask_lines, ask_text
from clinic_assistant.content_check import MIN_FAQ_EXAMPLES
from clinic_assistant.settings import PROJECT_ROOT


def build_parser() -> argparse.ArgumentParser:
    """The command-line flags."""
    parser = argparse.ArgumentParser(
        prog="make add-examples",
        description="Add example questions to a topic the assistant already has.",
    )
    parser.add_argument("--intent", help="the topic, e.g. faq_cost (see docs/intents.md)")
    parser.add_argument("--example", dest="examples", action="append", default=[],
                        help="an example question, the way patients write (repeat)")
    parser.add_argument("--root", type=Path, default=PROJECT_ROOT, help=argparse.SUPPRESS)
    return parser


def intent_file(files: ProjectFiles, intent: str) -> Optional[Path]:
    """The data/nlu file that holds the intent's examples (its own file first)."""
    own = files.nlu_file(intent)
    candidates = [own] + sorted(p for p in files.nlu_dir.glob("*.yml") if p != own)
    for path in candidates:
        if path.is_file() and f"- intent: {intent}\n" in path.read_text(encoding="utf-8"):
            return path
    return None


def _intent_problem(intent: str, state: ProjectState) -> Optional[str]:
    if intent in state.intents:
        return None
    faq = ", ".join(i for i in state.intents if i.startswith("faq_"))
    return (f"There is no intent called '{intent}'. Existing topics: {faq}. A new topic is "
            "added with make add-topic.")


def ask_for_missing(args: argparse.Namespace, ask: Ask, state: ProjectState) -> None:
    """Ask for the topic and the examples if the flags did not give them."""
    if not args.intent:
        args.intent = ask_text(ask, "Topic name (e.g. faq_cost)",
                               lambda name: _intent_problem(name, state))
    if not args.examples:
        args.examples = ask_lines(ask, "Example questions, the way patients write them.", 1)


def main(argv: Optional[List[str]] = None, ask: Ask = input,
         interactive: Optional[bool] = None) -> int:
    """Add the examples; 0 when written (or nothing new), 1 when refused, 2 on usage."""
    args = build_parser().parse_args(argv)
    files = ProjectFiles(args.root.resolve())
    state = load_state_or_explain(files)
    if state is None:
        return 1
    interactive = sys.stdin.isatty() if interactive is None else interactive
    if not (args.intent and args.examples):
        if not interactive:
            print("Missing: --intent and at least one --example. Give them as flags (see "
                  "--help), or run the command in a terminal to be asked.")
            return 2
        try:
            ask_for_missing(args, ask, state)
        except (KeyboardInterrupt, EOFError):
            print("\nStopped. Nothing was written.")
            return 1

    problem = _intent_problem(args.intent, state)
    path = intent_file(files, args.intent) if problem is None else None
    if problem is None and path is None:
        problem = (f"'{args.intent}' has no examples in data/nlu/ yet, so there is no file to "
                   "add to. Create it like the other files there.")
    if problem:
        print(problem)
        return 1
    assert path is not None
    review = review_examples(args.intent, args.examples, state.examples, state.held_out)
    if review.refused:
        print("Nothing was written. These examples cannot be used:")
        print("\n".join(f"  - {reason}" for reason in review.refused))
        print("Remove or reword them and run the command again.")
        return 1
    for text in review.already_there:
        print(f"Already there, skipped: '{text}'")
    if not review.new:
        print("No new examples to add.")
        return 0
    path.write_text(add_examples(path.read_text(encoding="utf-8"), args.intent, review.new),
                    encoding="utf-8")
    total = sum(1 for name, _ in state.examples if name == args.intent) + len(review.new)
    print(f"Added {len(review.new)} example(s) to {files.relative(path)}; '{args.intent}' now "
          f"has {total}.")
    if args.intent.startswith("faq_") and total < MIN_FAQ_EXAMPLES:
        print(f"It needs at least {MIN_FAQ_EXAMPLES} before the assistant goes live: "
              f"{MIN_FAQ_EXAMPLES - total} more.")
    print("Next: make validate, then make train (about 6 minutes), then make shell to try it.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
