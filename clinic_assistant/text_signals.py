"""Cheap signals read off a patient's message text: personal questions and non-English text."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

# A question about the writer's own case: "my MRI", "am I a candidate", "should I have it".
_PERSONAL = re.compile(
    r"\b(my|mine|me|i'?m|i am|i'?ve|i have|i had|am i|should i|would i|could i|can i|do i|"
    r"will i|for me|i was|i got|i'?d|im|ive)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_LATIN_LETTER = re.compile(r"[a-zA-Z]")
_TAG = re.compile(r"<[^<>]*>")  # no "<" inside: each "<" starts at most one scan
#: Words of the assistant's topic: a message using one of them is read as English.
TOPIC_WORDS = frozenset(
    "pain back disc discs disk disks stem cell cells injection injections sciatica spine spinal "
    "herniated herniation bulging slipped mri scan surgery leg legs neck nerve treatment "
    "doctor clinic appointment cost price".split()
)
#: Below this share of frequent English words, a message of several words is not English.
MIN_ENGLISH_SHARE = 0.15


@lru_cache(maxsize=1)
def _english_stop_words() -> frozenset:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def is_personal_question(text: str) -> bool:
    """Whether the message talks about the writer's own situation."""
    return bool(_PERSONAL.search(text.replace("\u2019", "'")))


def has_no_latin_letters(text: str) -> bool:
    """Whether the message has no a-z letters at all (emoji only, another script)."""
    return bool(text.strip()) and not _LATIN_LETTER.search(text)


def looks_non_english(text: str) -> bool:
    """Whether a message is probably not English.

    True for text in another script, and for messages of four or more words with no topic word
    and hardly any frequent English word. Emoji and symbols alone are not a language: see
    `has_no_latin_letters`.
    """
    if has_no_latin_letters(text):
        return bool(_WORD.search(text))
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < 4 or any(w in TOPIC_WORDS for w in words):
        return False
    english = sum(w in _english_stop_words() for w in words)
    return english / len(words) < MIN_ENGLISH_SHARE


def without_markup(text: str) -> str:
    """The text with HTML-like tags removed (for judging what a message says, not for storage)."""
    return " ".join(_TAG.sub(" ", text).split())


def screen_reason(text: str) -> Optional[str]:
    """Why a message cannot be classified: 'markup', 'symbols' or 'non_english'; else None."""
    readable = without_markup(text)
    if readable != " ".join(text.split()) and len(readable.split()) < 2:
        return "markup"
    if has_no_latin_letters(readable):
        return "non_english" if looks_non_english(readable) else "symbols"
    if looks_non_english(readable):
        return "non_english"
    return None
