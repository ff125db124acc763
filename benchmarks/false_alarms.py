"""Emergency advice through the running assistant: which questions get it, and from where.

Each question is sent as a new patient (after a greeting) through the REST channel, as the gate
does (`measure_served`); a question whose replies hold the emergency advice is then parsed
through the HTTP API to name its source: the red-flag rule that fired, or the classifier's own
`red_flag_symptoms` intent. Prints every false alarm (emergency advice to a question that is not
an emergency) and every missed emergency, then recall and the false-emergency share.

    python -m benchmarks.false_alarms --part dev        # real questions, dev part
    python -m benchmarks.false_alarms --part test       # the test part: only for the figure
    python -m benchmarks.false_alarms --part fresh      # the fresh part (more near-misses)
    python -m benchmarks.false_alarms --part fresh2     # the second fresh part (2026-12-03)
    python -m benchmarks.false_alarms --part written    # the team's written emergency phrasings

`written`: the red-flag examples of tests/nlu/heldout.yml and heldout_hard.yml and the unseen
phrasings of tests/nlu/red_flag_phrasings.yml (every one must get emergency advice).
Needs a trained model (scripts/train.sh).
"""

from __future__ import annotations

import argparse
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Sequence, Tuple, TypeVar

from clinic_assistant.content import Content, load_content
from clinic_assistant.evaluation.examples import read_examples, read_phrasings
from clinic_assistant.evaluation.real_questions import RED_FLAG, RealQuestion, read_real_questions

if TYPE_CHECKING:
    from clinic_assistant.stack.assistant import Assistant

Say = Callable[[str, str], List[Dict[str, Any]]]
Parse = Callable[[str], Dict[str, Any]]
#: The parts a benchmark can be run on (`written`: the team's emergency phrasings).
PARTS = ("dev", "test", "fresh", "fresh2", "written")
Measured = TypeVar("Measured")


@dataclass(frozen=True)
class Alarm:
    """One question that got emergency advice, or should have."""

    text: str
    is_emergency: bool
    advised: bool
    #: The rule that fired, "classifier", or "" when no emergency advice was given.
    source: str
    #: Shown the warning signs before "did you mean" instead (actions/possible_emergency.py).
    safety_net: bool = False


def alarm_source(parse: Dict[str, Any]) -> str:
    """Where a parse's red-flag intent came from: the rule's name or the classifier."""
    if parse.get("red_flag_rule"):
        before = parse.get("intent_before_red_flag_rule") or {}
        classifier = before.get("name") if isinstance(before, dict) else before
        return f"rule {parse['red_flag_rule']}; classifier: {classifier}"
    if (parse.get("intent") or {}).get("name") == RED_FLAG:
        return "classifier"
    return "other (not the parse's intent)"


def measure_alarms(say: Say, parse: Parse, content: Content,
                   questions: Sequence[RealQuestion]) -> List[Alarm]:
    """Send each question as a new patient and note whether, and why, it got emergency advice."""
    emergency = content.message("emergency_advice")
    safety_net = content.message("possible_emergency")
    alarms = []
    for index, question in enumerate(questions):
        sender = f"alarm-{index}"
        say(sender, "hello")
        texts = [r.get("text") or "" for r in say(sender, question.text)]
        advised = emergency in texts
        source = alarm_source(parse(question.text)) if advised else ""
        alarms.append(Alarm(question.text, question.is_red_flag, advised, source,
                            safety_net in texts))
    return alarms


def written_emergencies(project_root: Path) -> List[RealQuestion]:
    """The team's written emergency phrasings that no training file holds."""
    folder = project_root / "tests/nlu"
    held_out = [text for intent, text in read_examples(
        [folder / "heldout.yml", folder / "heldout_hard.yml"]) if intent == RED_FLAG]
    unseen = read_phrasings(folder / "red_flag_phrasings.yml", "emergencies")
    return [RealQuestion(text, (RED_FLAG,), "team") for text in held_out + unseen]


def questions_of(project_root: Path, part: str) -> List[RealQuestion]:
    """The questions of one part: dev, test, fresh, fresh2 or written."""
    if part == "written":
        return written_emergencies(project_root)
    return read_real_questions(project_root / f"tests/nlu/real_questions/{part}.yml")


def report(alarms: Sequence[Alarm]) -> List[str]:
    """The false alarms and misses, one a line, then recall and false-emergency share."""
    false = [a for a in alarms if a.advised and not a.is_emergency]
    missed = [a for a in alarms if a.is_emergency and not a.advised]
    red = [a for a in alarms if a.is_emergency]
    calm = [a for a in alarms if not a.is_emergency]
    lines = [f"FALSE ALARM ({a.source}): {a.text[:160]!r}" for a in false]
    lines += [f"MISSED EMERGENCY: {a.text[:160]!r}" for a in missed]
    recall = sum(a.advised for a in red) / len(red) if red else 1.0
    share = len(false) / len(calm) if calm else 0.0
    lines += [f"SAFETY NET ONLY FOR AN EMERGENCY: {a.text[:160]!r}" for a in missed
              if a.safety_net]
    netted = sum(a.safety_net for a in calm)
    lines.append(f"emergencies {len(red)}, recall {recall:.3f}; others {len(calm)}, "
                 f"false alarms {len(false)} ({share:.1%}), shown the warning signs before "
                 f"\"did you mean\" {netted}")
    return lines


def measure_part(description: str,
                 measure: Callable[["Assistant", Content, Sequence[RealQuestion]], Measured],
                 ) -> Tuple[str, Measured]:
    """Read `--part` from the command line, start the assistant, measure that part's questions
    with it (and the content), stop it; the part's name and what `measure` returned."""
    from clinic_assistant.settings import PROJECT_ROOT
    from clinic_assistant.stack.assistant import UNLIMITED_CHAT, start_assistant

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--part", choices=PARTS, default="dev")
    args = parser.parse_args()
    questions = questions_of(PROJECT_ROOT, args.part)
    with tempfile.TemporaryDirectory() as work:
        running = start_assistant(PROJECT_ROOT, Path(work), extra_env=UNLIMITED_CHAT)
        try:
            return args.part, measure(running, load_content(PROJECT_ROOT / "content"), questions)
        finally:
            running.stop()


def main() -> None:
    """Start the assistant, measure one part, print the report."""
    _, alarms = measure_part(
        __doc__.splitlines()[0],
        lambda running, content, questions: measure_alarms(running.say, running.parse, content,
                                                           questions))
    print("\n".join(report(alarms)))


if __name__ == "__main__":
    main()
