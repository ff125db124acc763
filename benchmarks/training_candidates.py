"""Would candidate training examples help real patients? The shipped pipeline trained on
`data/nlu/` alone and with each slice of a candidates file added (then with all of it), scored
on the real-question dev part (which decides) and test part (reported), like
`benchmarks.real_questions`.

Run: python -m benchmarks.training_candidates [FILE]
     (default: benchmarks/candidates/reworded_real_questions.yml)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import yaml

from benchmarks.real_questions import (SystemResult, ensemble_system, evaluation_sets, real_table,
                                       score_system, shipped_config)
from clinic_assistant.content_check import training_examples
from clinic_assistant.settings import PROJECT_ROOT

DEFAULT_FILE = PROJECT_ROOT / "benchmarks/candidates/reworded_real_questions.yml"


def read_candidates(path: Path) -> Dict[str, List[Tuple[str, str]]]:
    """(intent, text) pairs of the candidates file, grouped by its `slice` field."""
    slices: Dict[str, List[Tuple[str, str]]] = {}
    for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
        slices.setdefault(str(item.get("slice", "all")), []).append(
            (str(item["intent"]), " ".join(str(item["text"]).split())))
    return slices


def variants(base: Sequence[Tuple[str, str]], slices: Dict[str, List[Tuple[str, str]]]
             ) -> Dict[str, List[Tuple[str, str]]]:
    """The training sets compared: data/nlu alone, plus each slice, plus every slice."""
    every = [pair for pairs in slices.values() for pair in pairs]
    named = {f"data/nlu + {name} ({len(pairs)})": list(base) + pairs
             for name, pairs in slices.items()}
    return {"data/nlu only (shipped)": list(base), **named,
            f"data/nlu + all candidates ({len(every)})": list(base) + every}


def run(path: Path, project_root: Path = PROJECT_ROOT) -> List[SystemResult]:
    """Train the shipped pipeline on every variant and score it on the real parts."""
    base = training_examples(project_root)
    sets = {name: questions for name, questions in evaluation_sets(project_root).items()
            if name in ("dev", "test")}
    topics = sorted({intent for intent, _ in base if intent.startswith("faq_")})
    train = ensemble_system(shipped_config(project_root), project_root)
    results = []
    for name, pairs in variants(base, read_candidates(path)).items():
        print(f"bench: training candidates, {name}", flush=True)
        started = time.monotonic()
        predict = train([t for _, t in pairs], [i for i, _ in pairs])
        results.append(score_system(name, predict, sets, topics, time.monotonic() - started))
    return results


if __name__ == "__main__":
    print("\n".join(real_table(run(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_FILE))))
