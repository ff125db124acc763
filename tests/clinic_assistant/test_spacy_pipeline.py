"""The project's spaCy pipeline: entities, spelling variants, and a versioned path."""

from __future__ import annotations

import pytest
import yaml

from clinic_assistant.spacy_pipeline.build import build_pipeline
from clinic_assistant.spacy_pipeline.version import PIPELINE_DIR


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline()


@pytest.mark.parametrize("text, level", [
    ("I have an L5-S1 herniation", "L5-S1"), ("my l4/l5 disc", "l4/l5"),
    ("bulge at L5 S1", "L5 S1"), ("C5-6 in my neck", "C5-6"), ("L5S1", "L5S1"),
])
def test_spine_levels_are_entities(nlp, text, level):
    assert [(e.text, e.label_) for e in nlp(text).ents] == [(level, "spine_level")]


def test_cell_sources_and_treatments_are_entities(nlp):
    doc = nlp("Is Bone Marrow better than umbilical cord after failed physio?")
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Bone Marrow", "cell_source"), ("umbilical cord", "cell_source"), ("physio", "treatment")]


@pytest.mark.parametrize("variant, lemma", [
    ("disk", "disc"), ("disks", "disc"), ("anesthesia", "anaesthesia"), ("tumor", "tumour"),
    ("herniated", "herniate"), ("injections", "injection"), ("jab", "injection"),
])
def test_spelling_variants_share_a_lemma(nlp, variant, lemma):
    assert nlp(f"about the {variant}")[2].lemma_ == lemma


def test_lookup_lemmas_come_from_spacy_lookups_data(nlp):
    assert [t.lemma_ for t in nlp("the cells were injected")] == ["the", "cell", "be", "inject"]


def test_config_loads_the_versioned_pipeline(project_root):
    config = yaml.safe_load((project_root / "config.yml").read_text())
    spacy_nlp = next(c for c in config["pipeline"] if c["name"] == "SpacyNLP")
    assert (project_root / spacy_nlp["model"]).resolve() == PIPELINE_DIR
