"""The intents the report looks for, and what each one means for the clinic."""

from __future__ import annotations

FALLBACK = "nlu_fallback"
NONE_OF_THESE = "none_of_these"
OUT_OF_SCOPE = "out_of_scope"
RED_FLAG = "red_flag_symptoms"
FEEDBACK = "feedback"

#: Messages the assistant could not answer, and how the report labels each kind.
UNANSWERED_KINDS = {
    FALLBACK: "fallback",
    NONE_OF_THESE: "clarification miss",
    OUT_OF_SCOPE: "out of scope",
}
#: Intents by which a patient asks for a person.
HANDOFF_INTENTS = ("request_human", "book_consultation", "request_callback")

#: Entities of the widget's rating (`/feedback{"rating": "unhelpful", "topic": "faq_cost"}`).
RATING_ENTITY = "rating"
TOPIC_ENTITY = "topic"
RATINGS = ("helpful", "unhelpful")
