"""The classifier is retrained when an encoder's weights or engine change, not only its config."""

from __future__ import annotations

from clinic_assistant.embeddings import e5_graph
from clinic_assistant.nlu.sentence_classifier import SentenceEmbeddingClassifier

CONFIG = {"members": {"e5": 0.5, "minilm": 0.5}}


def test_the_fingerprint_names_each_encoders_weights_and_graph():
    addon = SentenceEmbeddingClassifier.fingerprint_addon(CONFIG)
    assert addon == "e5=0.3.0-onnx-graph1,minilm=0.1.0-onnx-graph1"


def test_a_new_graph_version_changes_the_fingerprint(monkeypatch):
    before = SentenceEmbeddingClassifier.fingerprint_addon(CONFIG)
    monkeypatch.setattr(e5_graph, "GRAPH_VERSION", e5_graph.GRAPH_VERSION + 1)
    assert SentenceEmbeddingClassifier.fingerprint_addon(CONFIG) != before
