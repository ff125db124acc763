"""Evaluate a trained Rasa model on a held-out NLU file, in-process.

Run: python -m clinic_assistant.evaluation.evaluate_model [--model models/x.tar.gz]
     [--data tests/nlu/heldout.yml]
Prints accuracy, macro-F1, red-flag recall, per-intent F1 and the top confusions. The raw
classifier intent is reported (what `rasa test nlu` measures) as well as the intent after
FallbackClassifier, which is what patients see.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any, Dict, List, Optional

from clinic_assistant.evaluation.examples import read_examples
from clinic_assistant.evaluation.metrics import IntentReport, intent_report, recall
from clinic_assistant.settings import PROJECT_ROOT

FALLBACK_INTENT = "nlu_fallback"
RED_FLAG_INTENT = "red_flag_symptoms"


def latest_model(models_dir: Path) -> Path:
    """The newest model archive in `models_dir`."""
    archives = sorted(models_dir.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not archives:
        raise SystemExit(f"No model in {models_dir}: run `make train` first.")
    return archives[-1]


def classifier_intent(parse: Dict[str, Any]) -> str:
    """The best intent that is not the fallback: the raw classifier decision."""
    for entry in parse.get("intent_ranking") or [parse.get("intent") or {}]:
        if entry.get("name") != FALLBACK_INTENT:
            return str(entry.get("name"))
    return FALLBACK_INTENT


async def parse_all(model: Path, texts: List[str]) -> List[Dict[str, Any]]:
    """Parse every text with the model (loaded once)."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    return [await agent.parse_message(text) for text in texts]


def format_report(title: str, report: IntentReport, red_flag_recall: float) -> str:
    """A plain-text summary with the per-intent F1 table."""
    lines = [
        f"== {title}",
        f"accuracy {report.accuracy:.3f}  macro-F1 {report.macro_f1:.3f}  "
        f"red-flag recall {red_flag_recall:.3f}",
        "intent | F1 | n",
    ]
    lines += [
        f"{intent} | {f1:.2f} | {report.support[intent]}"
        for intent, f1 in report.f1_by_intent.items()
    ]
    lines.append("top confusions (expected -> predicted: count):")
    lines += [f"  {e} -> {p}: {n}" for e, p, n in report.confusions[:10]]
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> None:
    """Parse the held-out file with a model and print the reports."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--data", type=Path, default=PROJECT_ROOT / "tests/nlu/heldout.yml")
    args = parser.parse_args(argv)
    model = args.model or latest_model(PROJECT_ROOT / "models")
    examples = read_examples([args.data])
    expected = [intent for intent, _ in examples]
    parses = asyncio.run(parse_all(model, [text for _, text in examples]))
    raw = [classifier_intent(p) for p in parses]
    seen = [str((p.get("intent") or {}).get("name")) for p in parses]
    print(f"model {model.name}, {len(examples)} held-out examples from {args.data}")
    print(format_report("classifier", intent_report(expected, raw),
                        recall(expected, raw, RED_FLAG_INTENT)))
    fallback_share = sum(s == FALLBACK_INTENT for s in seen) / len(seen)
    print(format_report("as patients see it", intent_report(expected, seen),
                        recall(expected, seen, RED_FLAG_INTENT)))
    print(f"sent to clarification (nlu_fallback): {fallback_share:.3f}")


if __name__ == "__main__":
    main()
