"""The sentence-embedding ensemble, trained for real on a small data set."""

from __future__ import annotations

import numpy as np
import pytest

from clinic_assistant.embeddings.cache import CachedEncoder
from clinic_assistant.embeddings.encoders import get_sentence_encoder
from clinic_assistant.nlu.sentence_ensemble import (EnsembleConfig, fit_ensemble, load_ensemble,
                                                    save_ensemble)

EXAMPLES = {
    "faq_cost": ["how much does it cost", "what is the price of the injection",
                 "is it covered by insurance", "can I pay in instalments", "how expensive is it"],
    "faq_risks": ["is it safe", "what are the side effects", "can it cause an infection",
                  "what could go wrong", "are there any complications"],
    "faq_recovery": ["how long is the recovery", "when can I go back to work",
                     "can I drive after the injection", "how soon can I exercise again",
                     "what should I do after the procedure"],
}
CONFIG = EnsembleConfig(members=(("e5", 0.4), ("minilm", 0.4), ("tfidf", 0.2)),
                        segment_min_chars=60)


@pytest.fixture(scope="module")
def ensemble(tmp_path_factory):
    texts = [t for ts in EXAMPLES.values() for t in ts]
    labels = [i for i, ts in EXAMPLES.items() for _ in ts]
    return fit_ensemble(texts, labels, CONFIG, tmp_path_factory.mktemp("cache"))


def top(ensemble, text):
    reading = ensemble.read_messages([text])[0]
    return ensemble.labels[int(reading.probabilities.argmax())]


def test_unseen_wordings_get_their_intent(ensemble):
    assert top(ensemble, "what will I have to pay for this") == "faq_cost"
    assert top(ensemble, "any dangers I should know about?") == "faq_risks"
    assert top(ensemble, "how many days off work will I need afterwards") == "faq_recovery"


def test_a_long_message_names_its_second_question(ensemble):
    text = ("I have had back pain for years and tried everything my doctor suggested. "
            "How much does the treatment cost? Is it safe, what are the side effects?")
    reading = ensemble.read_messages([text])[0]
    main = ensemble.labels[int(reading.probabilities.argmax())]
    others = [name for name, _ in reading.other_questions(ensemble.labels, 0.4)]
    assert {main, *others} >= {"faq_cost", "faq_risks"}
    assert main not in others


def test_a_saved_model_scores_exactly_as_the_trained_one(ensemble, tmp_path):
    save_ensemble(ensemble, tmp_path)
    loaded = load_ensemble(tmp_path, CONFIG)
    texts = ["how much", "is it dangerous", "back to work when"]
    assert loaded.labels == ensemble.labels
    np.testing.assert_allclose(loaded.probabilities(texts), ensemble.probabilities(texts), atol=1e-6)


def test_the_cache_returns_what_the_encoder_computes(tmp_path):
    encoder = get_sentence_encoder("e5")
    cached = CachedEncoder("e5", encoder, tmp_path)
    texts = ["is it safe", "how much does it cost", "is it safe"]
    first = cached.encode(texts)
    again = CachedEncoder("e5", encoder, tmp_path).encode(texts[::-1])
    np.testing.assert_allclose(first, encoder.encode(texts), atol=1e-6)
    np.testing.assert_allclose(again, first[::-1], atol=1e-6)
    assert len(list(tmp_path.glob("e5-*.npz"))) == 1


def test_a_long_message_scores_as_its_whole_and_its_best_sentence_scored_apart(ensemble):
    text = ("I have had back pain for years and tried everything my doctor suggested. "
            "How much does the treatment cost? Is it safe, what are the side effects?")
    segments = ["How much does the treatment cost?", "Is it safe, what are the side effects?"]
    reading = ensemble.read_messages([text, "how long is the recovery"])[0]
    alone = ensemble.probabilities(segments)
    np.testing.assert_allclose(reading.segment_probabilities, alone, atol=1e-6)
    best = alone[int(alone.max(axis=1).argmax())]
    weight = CONFIG.segment_weight
    np.testing.assert_allclose(reading.probabilities,
                               (1 - weight) * ensemble.probabilities([text])[0] + weight * best,
                               atol=1e-6)
