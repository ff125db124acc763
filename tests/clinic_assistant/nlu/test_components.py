"""The custom NLU components, on Rasa Message objects without a trained model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from clinic_assistant.nlu.ranking import blend, truncate
from clinic_assistant.nlu.language_screen import SCREENED_KEY, LanguageScreen
from clinic_assistant.nlu.long_message_trimmer import (
    UNTRIMMED_TEXT_KEY, LongMessageTrimmer, trim_middle,
)
from clinic_assistant.nlu.red_flag_detector import CLASSIFIER_INTENT_KEY, RedFlagDetector
from clinic_assistant.nlu.tfidf_ensemble import (
    TfidfEnsembleClassifier, fit_tfidf_model, load_tfidf_model, save_tfidf_model,
)
from clinic_assistant.red_flags import load_rules


def classified(text: str, intent: str = "faq_cost", confidence: float = 0.9) -> Message:
    message = Message({TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": confidence})
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": confidence},
                                     {"name": "faq_risks", "confidence": 0.05}])
    return message


def red_flag_detector(project_root: Path) -> RedFlagDetector:
    return RedFlagDetector({"intent": "red_flag_symptoms"},
                           load_rules(project_root / "content/red_flags.yml"))


def test_red_flag_overrides_a_confident_faq_prediction(project_root):
    message = classified("how much is it? also I can't feel my groin since this morning")
    red_flag_detector(project_root).process([message])
    assert message.get(INTENT) == {"name": "red_flag_symptoms", "confidence": 1.0}
    assert message.get(INTENT_RANKING_KEY)[0]["name"] == "red_flag_symptoms"
    assert message.get(CLASSIFIER_INTENT_KEY)["name"] == "faq_cost"


def test_red_flag_overrides_a_fallback(project_root):
    message = classified("my legs keep giving way", "nlu_fallback", 0.4)
    red_flag_detector(project_root).process([message])
    assert message.get(INTENT)["name"] == "red_flag_symptoms"


def test_ordinary_message_is_left_alone(project_root):
    message = classified("how much does it cost")
    red_flag_detector(project_root).process([message])
    assert message.get(INTENT)["name"] == "faq_cost"


def test_red_flag_at_the_end_of_a_trimmed_message_is_still_found(project_root):
    text = "I have a long story about my back. " * 200 + "Now I cannot feel when I wipe."
    message = Message({TEXT: text})
    LongMessageTrimmer({"max_chars": 2000}).process([message])
    assert len(message.get(TEXT)) < 2100 and message.get(UNTRIMMED_TEXT_KEY) == text
    message.set(INTENT, {"name": "faq_herniated_disc", "confidence": 0.9})
    red_flag_detector(project_root).process([message])
    assert message.get(INTENT)["name"] == "red_flag_symptoms"


def test_trim_keeps_start_and_end():
    assert trim_middle("a" * 10 + "b" * 10, 10) == "aaaaa ... bbbbb"
    assert trim_middle("short", 10) == "short"


def test_language_screen_turns_unreadable_messages_into_fallback():
    messages = [classified("\U0001F600\U0001F600", "affirm"),
                classified("Hola, tengo una hernia de disco, me pueden ayudar", "faq_herniated_disc"),
                classified("what is a herniated disc", "faq_herniated_disc")]
    LanguageScreen().process(messages)
    assert [m.get(INTENT)["name"] for m in messages] == [
        "nlu_fallback", "nlu_fallback", "faq_herniated_disc"]
    assert [m.get(SCREENED_KEY) for m in messages] == ["symbols", "non_english", None]


def test_blend_averages_two_distributions():
    ranking = blend({"a": 0.8, "b": 0.2}, [{"name": "a", "confidence": 0.2},
                                          {"name": "b", "confidence": 0.8}], 0.75)
    assert [(r["name"], round(r["confidence"], 2)) for r in ranking] == [("a", 0.65), ("b", 0.35)]


def test_blend_without_a_previous_ranking_uses_the_embeddings_alone():
    assert blend({"a": 0.7, "b": 0.3}, [], 0.5)[0] == {"name": "a", "confidence": 0.7}


def test_truncate_keeps_every_intent_with_length_zero():
    ranking = [{"name": n, "confidence": 0.25} for n in "abcd"]
    assert truncate(ranking, 2) == ranking[:2]
    assert truncate(ranking, 0) == ranking


TFIDF_EXAMPLES = [
    ("faq_cost", "how much does the injection cost"), ("faq_cost", "what is the price"),
    ("faq_cost", "is it expensive"), ("faq_risks", "what are the risks of the injection"),
    ("faq_risks", "is it dangerous"), ("faq_risks", "any side effects"),
    ("greet", "hello there"), ("greet", "hi"), ("greet", "good morning"),
]


def test_tfidf_model_saved_and_loaded_scores_like_scikit_learn(tmp_path):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    texts, labels = [t for _, t in TFIDF_EXAMPLES], [i for i, _ in TFIDF_EXAMPLES]
    model = fit_tfidf_model(texts, labels, C=10.0, class_weight="balanced", max_iter=3000,
                            random_seed=42)
    save_tfidf_model(model, tmp_path / "m.npz")
    loaded = load_tfidf_model(tmp_path / "m.npz")
    reference = make_pipeline(
        make_union(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                   TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
        LogisticRegression(C=10.0, class_weight="balanced", max_iter=3000, random_state=42),
    ).fit(texts, labels)
    queries = ["how much is the price of it", "hiya", "risky?", ""]
    assert loaded.labels == [str(c) for c in reference.classes_]
    np.testing.assert_allclose(loaded.probabilities(queries), reference.predict_proba(queries),
                               atol=1e-6)
    assert loaded.labels[int(loaded.probabilities(["what does it cost"]).argmax())] == "faq_cost"


def test_tfidf_classifier_blends_into_the_previous_ranking():
    texts, labels = [t for _, t in TFIDF_EXAMPLES], [i for i, _ in TFIDF_EXAMPLES]
    model = fit_tfidf_model(texts, labels, C=10.0, class_weight=None, max_iter=3000,
                            random_seed=42)
    config = {**TfidfEnsembleClassifier.get_default_config(), "weight": 0.4, "ranking_length": 0}
    component = TfidfEnsembleClassifier(config, None, None, model)  # type: ignore[arg-type]
    message = classified("how much is it", "greet", 0.3)
    message.set(INTENT_RANKING_KEY, [{"name": "faq_risks", "confidence": 0.6},
                                     {"name": "greet", "confidence": 0.3}])
    component.process([message])
    ranking = message.get(INTENT_RANKING_KEY)
    own = dict(zip(model.labels, model.probabilities(["how much is it"])[0]))
    assert {r["name"] for r in ranking} == {"faq_cost", "faq_risks", "greet"}
    assert [r["confidence"] for r in ranking] == sorted((r["confidence"] for r in ranking),
                                                        reverse=True)
    confidence = {r["name"]: r["confidence"] for r in ranking}
    assert confidence["faq_cost"] == pytest.approx(0.4 * own["faq_cost"])
    assert confidence["faq_risks"] == pytest.approx(0.4 * own["faq_risks"] + 0.6 * 0.6)
    assert message.get(INTENT) == ranking[0]
