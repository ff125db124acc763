"""The real-question set stays out of training: no sentence of it, nor a close paraphrase; and
the team's written test phrasings of emergencies are not training examples either."""

from __future__ import annotations

import numpy as np
import pytest

from clinic_assistant.content_check import training_examples
from clinic_assistant.embeddings.cache import CachedEncoder
from clinic_assistant.embeddings.encoders import get_sentence_encoder
from clinic_assistant.evaluation.examples import normalise_example, read_phrasings
from clinic_assistant.evaluation.real_questions import read_real_questions
from clinic_assistant.nlu.segments import sentences
from clinic_assistant.settings import get_settings

#: Cosine similarity (all-MiniLM-L6-v2) at or above which two sentences are one paraphrase.
NEAR_DUPLICATE = 0.9
PARTS = ("dev.yml", "test.yml")
#: Parts from other sites, collected later (tests/nlu/real_questions/README.md).
FRESH = ("fresh.yml", "fresh2.yml")


def real_texts(project_root):
    """Every real question, and each of its sentences of 30 characters or more."""
    texts = []
    for part in (*PARTS, *FRESH):
        for question in read_real_questions(project_root / "tests/nlu/real_questions" / part):
            texts.append(question.text)
            texts += [s for s in sentences(question.text) if len(s) >= 30]
    return texts


def test_the_real_set_is_large_and_split_in_two(project_root):
    parts = [read_real_questions(project_root / "tests/nlu/real_questions" / p) for p in PARTS]
    assert sum(len(p) for p in parts) >= 400
    assert all(len(p) >= 180 for p in parts)
    dev, test = ({normalise_example(q.text) for q in p} for p in parts)
    assert dev.isdisjoint(test)
    assert all(q.source.startswith("http") and q.accept for p in parts for q in p)


@pytest.fixture(scope="module")
def training(project_root):
    """Every training example, normalised for comparison."""
    return {normalise_example(t) for _, t in training_examples(project_root)}


def test_no_real_question_is_a_training_example(project_root, training):
    assert [t for t in real_texts(project_root) if normalise_example(t) in training] == []


def test_no_written_red_flag_phrasing_is_a_training_example(project_root, training):
    written = read_phrasings(project_root / "tests/nlu/red_flag_phrasings.yml", "emergencies")
    assert len(written) >= 20
    assert [t for t in written if normalise_example(t) in training] == []


@pytest.mark.slow
def test_no_training_example_paraphrases_a_real_question(project_root):
    encoder = CachedEncoder("minilm", get_sentence_encoder("minilm"),
                            get_settings().embedding_cache_dir)
    training = [t for _, t in training_examples(project_root)]
    real = real_texts(project_root)
    similarity = encoder.encode(training) @ encoder.encode(real).T
    rows, columns = np.nonzero(similarity >= NEAR_DUPLICATE)
    pairs = [(training[r], real[c], round(float(similarity[r, c]), 3)) for r, c in zip(rows, columns)]
    assert pairs == []
