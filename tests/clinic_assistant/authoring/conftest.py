"""A new topic that a clinic might add, as command-line flags."""

from __future__ import annotations

from typing import List, Sequence

import pytest

INTENT = "faq_sleeping_position"
EXAMPLES = [
    "what is the best sleeping position with a herniated disc",
    "which mattress should i buy for a slipped disc",
    "is a firm mattress better for disc pain",
    "should i sleep on my back or my side with sciatica",
    "how should i lie in bed with a bulging disc",
    "is sleeping on my stomach bad for my lower back disc",
    "pillow between the knees for a herniated disc, does it help",
    "memory foam or firm mattress for a prolapsed disc",
    "how do i get comfortable in bed with a slipped disk",
    "best position to sleep after a disc injury",
    "which pillow is best for a neck disc herniation",
    "can my old saggy mattress make my disc worse",
    "side sleeper with sciatica, any tips for the night",
    "what sleeping posture takes pressure off the disc",
    "should i put a pillow under my knees when lying on my back",
    "is a recliner chair better than a bed for disc pain",
    "how do i get out of bed without hurting my disc",
    "mattress topper for herniated disc yes or no",
    "fetal position good for a bulging disc?",
    "my disc hurts most in bed at night, how should i lie",
    "how firm should my mattress be with l5 s1 problems",
    "is a hard floor better to sleep on with a slipped disc",
    "what mattress do spine doctors recommend for disc problems",
    "can the way i sleep slow down healing of my disc",
    "sleeping positions to avoid with a herniated disc",
]
ANSWER = (
    "Most people with a herniated disc sleep best on their side with a pillow between the "
    "knees, or on their back with a pillow under the knees. A medium-firm mattress suits many "
    "people better than a very soft or very hard one. Sleeping on your stomach often makes back "
    "pain worse. There is no single right position: choose the one that eases your pain."
)
SOURCE = "NHS: Slipped disc|https://www.nhs.uk/conditions/slipped-disc/"


def topic_flags(intent: str = INTENT, examples: Sequence[str] = tuple(EXAMPLES),
                answer: str = ANSWER, sources: Sequence[str] = (SOURCE,),
                title: str = "Sleeping with a disc problem") -> List[str]:
    """add_topic flags for the sleeping-position topic, with any value replaced."""
    flags = ["--intent", intent, "--title", title, "--answer", answer,
             "--reviewer", "Dr A. Jones, spine physician",
             "--follow-up", "faq_conventional_treatment"]
    for example in examples:
        flags += ["--example", example]
    for source in sources:
        flags += ["--source", source]
    return flags


@pytest.fixture
def flags():
    """Build add_topic flags (see `topic_flags`)."""
    return topic_flags
