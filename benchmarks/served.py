"""What patients see, on one part of the real questions, through the running assistant.

The figures the test part's gate asserts (tests/nlu/test_real_questions_gate.py), for any part,
so that a change to what the assistant says can be chosen on dev through the server:

    python -m benchmarks.served --part dev       # for choices
    python -m benchmarks.served --part test      # only for the figure (the gate's part)

Needs a trained model (scripts/train.sh).
"""

from __future__ import annotations

import argparse
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import List

from clinic_assistant.evaluation.real_questions import ServedScore


def report(part: str, score: ServedScore) -> List[str]:
    """One line a figure, named as in the gate."""
    lines = [f"{part}: {score.total} questions"]
    for name, value in asdict(score).items():
        if name != "total":
            lines.append(f"  {name}: {value:.3f}" if isinstance(value, float)
                         else f"  {name}: {value}")
    return lines


def main() -> None:
    """Start the assistant, send one part's questions, print what patients saw."""
    from benchmarks.false_alarms import PARTS, questions_of
    from clinic_assistant.content import load_content
    from clinic_assistant.evaluation.real_questions import measure_served
    from clinic_assistant.settings import PROJECT_ROOT
    from clinic_assistant.stack.assistant import UNLIMITED_CHAT, start_assistant

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=PARTS, default="dev")
    args = parser.parse_args()
    questions = questions_of(PROJECT_ROOT, args.part)
    with tempfile.TemporaryDirectory() as work:
        running = start_assistant(PROJECT_ROOT, Path(work), extra_env=UNLIMITED_CHAT)
        try:
            score = measure_served(running.say, load_content(PROJECT_ROOT / "content"), questions)
        finally:
            running.stop()
    print("\n".join(report(args.part, score)))


if __name__ == "__main__":
    main()
