"""Split a patient's message into the sentences that carry its questions.

Real messages are often long: a story, a pasted MRI report, then one or several questions.
Classifying each question sentence on its own, next to the whole message, finds what is asked
and notices a second question. The pattern has no nested repetition, so it runs in linear time
on any input.
"""

from __future__ import annotations

import re
from typing import List

#: A sentence: a run of characters up to (and with) its closing punctuation or line break.
_SENTENCE = re.compile(r"[^.?!\n]+[.?!]*")
#: Sentences shorter than this (in characters) carry no question of their own ("Thanks!").
MIN_SEGMENT_CHARS = 12


def sentences(text: str, max_chars: int = 4000) -> List[str]:
    """The sentences of the first `max_chars` characters of `text`, stripped."""
    found = (match.group(0).strip() for match in _SENTENCE.finditer(text[:max_chars]))
    return [sentence for sentence in found if len(sentence) >= MIN_SEGMENT_CHARS]


def question_segments(text: str, max_segments: int = 6) -> List[str]:
    """The sentences that ask something (end in '?'), or every sentence if none does.

    At most `max_segments` are returned, the last ones first kept: in a long story the
    questions come at the end.
    """
    parts = sentences(text)
    questions = [part for part in parts if part.endswith("?")]
    chosen = questions or parts
    return chosen[-max_segments:]
