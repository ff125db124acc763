"""Lists of test phrasings are read from YAML, and a malformed list is named."""

from __future__ import annotations

import pytest

from clinic_assistant.evaluation.examples import read_phrasings
from clinic_assistant.yaml_files import ContentError


def test_phrasings_are_read_in_file_order(tmp_path):
    path = tmp_path / "phrasings.yml"
    path.write_text("emergencies:\n  - 'both legs went weak'\n  - numb saddle\nother: []\n")
    assert read_phrasings(path, "emergencies") == ["both legs went weak", "numb saddle"]


@pytest.mark.parametrize("text", ["emergencies: just one text\n", "emergencies:\n  - [a, b]\n",
                                  "other:\n  - a\n", "emergencies: []\n"])
def test_a_key_that_is_not_a_list_of_texts_names_the_file_and_key(tmp_path, text):
    path = tmp_path / "phrasings.yml"
    path.write_text(text)
    with pytest.raises(ContentError, match="phrasings.yml: `emergencies` must be a list of texts"):
        read_phrasings(path, "emergencies")
