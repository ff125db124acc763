"""Variants of one question form one group, with the project's real sentence encoder."""

from __future__ import annotations

import numpy as np
import pytest

from clinic_assistant.embeddings.minilm import get_encoder
from clinic_assistant.reporting.grouping import SIMILARITY_THRESHOLD, group_similar

WIFI = ["what's the wifi password", "what is the wifi password", "can I have the wi-fi password",
        "whats the password for the wifi"]
PARKING = ["do you offer parking validation", "can I get my parking ticket validated",
           "do you validate parking tickets", "is parking validated at the clinic"]
KNEE = ["do you do knee replacements", "can you replace my knee",
        "I need a new knee, do you do that", "can I get a knee replacement here"]
UNRELATED = ["is there wifi in the waiting room", "can you recommend a good pizza place nearby",
             "what is the weather today", "do you accept medicare", "can my dog come with me",
             "is there a vending machine"]


@pytest.fixture(scope="module")
def encode():
    return get_encoder().encode


def test_the_threshold_is_near_the_usual_value():
    assert 0.6 <= SIMILARITY_THRESHOLD <= 0.8


@pytest.mark.parametrize("variants", [WIFI, PARKING, KNEE], ids=["wifi", "parking", "knee"])
def test_variants_of_one_question_form_one_group(encode, variants):
    assert group_similar(variants, encode) == [list(range(len(variants)))]


def test_unrelated_questions_stay_apart(encode):
    groups = group_similar(UNRELATED, encode)
    assert groups == [[i] for i in range(len(UNRELATED))]


def test_mixed_questions_are_sorted_into_their_groups(encode):
    texts = [WIFI[0], KNEE[0], PARKING[0], *UNRELATED, *WIFI[1:], *KNEE[1:], *PARKING[1:]]
    groups = [sorted(texts[i] for i in g) for g in group_similar(texts, encode)]
    assert sorted(WIFI) in groups and sorted(KNEE) in groups and sorted(PARKING) in groups
    assert len(groups) == 3 + len(UNRELATED)


def test_a_text_joins_the_most_similar_group():
    vectors = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])
    assert group_similar(["a", "b", "c"], lambda _: vectors, threshold=0.7) == [[0], [1, 2]]


def test_no_texts_need_no_encoder():
    def fail(_):
        raise AssertionError("encoder called")

    assert group_similar([], fail) == []
