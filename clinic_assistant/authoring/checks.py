"""Run the same checks as `make validate` on a project after an edit, and print them."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from clinic_assistant.content import ContentError
from clinic_assistant.content_check import TOO_FEW_EXAMPLES, describe, run_all_checks, summary
from clinic_assistant.data_check import check_data


def run_checks(root: Path, new_intent: Optional[str] = None) -> bool:
    """Print what the data and content checks find; True if nothing needs fixing now.

    Too few examples for `new_intent` is reported but expected: a new topic starts with few.
    """
    print("Checking the training data and domain (rasa data validate, about 15 seconds) ...")
    findings = check_data(root)
    for finding in findings:
        print(f"  {finding}")
    print("  training data and domain: " + ("problems above." if findings else "no problems."))
    print("Checking the answers and messages ...")
    try:
        problems = run_all_checks(root)
    except ContentError as error:
        print(f"  {describe(error, root)}")
        return False
    for problem in problems:
        print(f"  {problem}")
    print(f"  {summary(problems)}")
    blocking = [
        p for p in problems
        if p.severity == "error" and not (p.entry == new_intent and p.kind == TOO_FEW_EXAMPLES)
    ]
    return not findings and not blocking
