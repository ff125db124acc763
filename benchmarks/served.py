"""What patients see, on one part of the real questions, through the running assistant.

The figures the test part's gate asserts (tests/nlu/test_real_questions_gate.py), for any part,
so that a change to what the assistant says can be chosen on dev through the server:

    python -m benchmarks.served --part dev       # for choices
    python -m benchmarks.served --part test      # only for the figure (the gate's part)

Needs a trained model (scripts/train.sh).
"""

from __future__ import annotations

from dataclasses import asdict
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
    from benchmarks.false_alarms import measure_part
    from clinic_assistant.evaluation.real_questions import measure_served

    part, score = measure_part(
        __doc__.splitlines()[0],
        lambda running, content, questions: measure_served(running.say, content, questions))
    print("\n".join(report(part, score)))


if __name__ == "__main__":
    main()
