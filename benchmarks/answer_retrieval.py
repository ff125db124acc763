"""Tried and rejected: matching a message against the answers' own text (docs/pipeline.md).

multilingual-e5-small is trained for asymmetric search ("query: " against "passage: "), and
the pipeline already embeds every message as a query, so scoring it against each answer's
title and text costs one dot product when serving. This blends a softmax of those similarities
(temperature T) into the shipped classifier's probabilities, within the probability it gives the
FAQ topics (w is the share), then applies the pattern files as config.yml does, and prints the
real questions' top-in-accept for each setting.

Run: OMP_NUM_THREADS=1 python -m benchmarks.answer_retrieval (one thread, as when serving: with
more, float rounding in the encoders can flip a borderline question, one cell of the grid).
"""

from __future__ import annotations

from pathlib import Path
from typing import List

import numpy as np

from benchmarks.real_questions import evaluation_sets, shipped_config, with_pattern_files
from clinic_assistant.content import get_content
from clinic_assistant.content_check import training_examples
from clinic_assistant.embeddings.e5 import get_e5_encoder
from clinic_assistant.evaluation.real_questions import score_top_intents
from clinic_assistant.nlu.sentence_ensemble import fit_ensemble
from clinic_assistant.settings import PROJECT_ROOT, get_settings

SHARES = (0.0, 0.1, 0.2, 0.3, 0.5)
TEMPERATURES = (0.02, 0.05)


def main(root: Path = PROJECT_ROOT) -> None:
    """Fit the shipped classifier, then print one line per passage kind, T and w."""
    pairs = training_examples(root)
    model = fit_ensemble([t for _, t in pairs], [i for i, _ in pairs], shipped_config(root),
                         get_settings().embedding_cache_dir)
    content = get_content()
    e5 = get_e5_encoder()
    topics = [label for label in model.labels if label in content.answers]
    columns = [model.labels.index(label) for label in topics]
    passages = {
        "title and answer": [f"{content.answers[t].title}. {content.render(content.answers[t].answer)}"
                             for t in topics],
        "title only": [content.answers[t].title for t in topics],
    }
    for part, questions in evaluation_sets(root).items():
        if part not in ("dev", "test"):
            continue
        texts = [q.text for q in questions]
        readings = model.read_messages(texts)
        queries = e5.encode(texts)
        for kind, written in passages.items():
            similarity = queries @ e5.encode_passages(written).T
            for temperature in TEMPERATURES:
                scores: List[str] = []
                for share in SHARES:
                    tops = []
                    for reading, row in zip(readings, similarity):
                        probabilities = reading.probabilities.copy()
                        mass = probabilities[columns].sum()
                        weights = np.exp((row - row.max()) / temperature)
                        probabilities[columns] = ((1 - share) * probabilities[columns]
                                                  + share * mass * weights / weights.sum())
                        tops.append(model.labels[int(probabilities.argmax())])
                    # The scope screen and the red-flag rules, as config.yml applies them.
                    final = with_pattern_files(lambda batch, tops=tops: tops, root)(texts)
                    score = score_top_intents(questions, final, topics)
                    scores.append(f"w={share}: {score.top_in_accept:.3f}")
                print(f"{part}, {kind}, T={temperature}: " + ", ".join(scores), flush=True)


if __name__ == "__main__":
    main()
