"""Build the project's spaCy pipeline with spaCy's Python API (no model download needed).

The pipeline is `spacy.blank("en")` plus English lookup lemmas from `spacy-lookups-data`, an
`attribute_ruler` that maps spelling variants to one lemma (disk/disc, anesthesia/anaesthesia)
and an `entity_ruler` for spine levels, cell sources and treatments. Rasa's `SpacyNLP` loads it
from `build/spacy/<PIPELINE_NAME>`; the version is part of the name because Rasa fingerprints a
spaCy pipeline by its path only.

Run: python -m clinic_assistant.spacy_pipeline.build
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Dict, List, cast

import spacy
from spacy.language import Language
from spacy.pipeline import AttributeRuler, EntityRuler

from clinic_assistant.spacy_pipeline.version import PIPELINE_DIR, PIPELINE_NAME, PIPELINE_VERSION
from clinic_assistant.yaml_files import read_yaml_file

PATTERNS_FILE = Path(__file__).with_name("patterns.yml")

_LEVEL = r"^[ctl]\d{1,2}$"
_LEVEL_OR_SACRAL = r"^[ctls]\d{1,2}$"
_JOINED_LEVELS = r"^[ctl]\d{1,2}[-/]?[ctls]\d{1,2}$"
SPINE_LEVEL_PATTERNS: List[Dict[str, Any]] = [
    {"label": "spine_level", "pattern": [{"LOWER": {"REGEX": _JOINED_LEVELS}}]},
    {
        "label": "spine_level",
        "pattern": [
            {"LOWER": {"REGEX": _LEVEL}},
            {"ORTH": {"IN": ["-", "/", "\u2013", "to"]}, "OP": "?"},
            {"LOWER": {"REGEX": _LEVEL_OR_SACRAL}},
        ],
    },
    {
        "label": "spine_level",
        "pattern": [{"LOWER": {"REGEX": _LEVEL}}, {"ORTH": "-"},
                    {"LOWER": {"REGEX": r"^\d{1,2}$"}}],
    },
    {"label": "spine_level", "pattern": [{"LOWER": {"REGEX": _LEVEL}}]},
]


def _lemma_rules(overrides: Dict[str, str]) -> List[Dict[str, Any]]:
    return [
        {
            "patterns": [[{"LOWER": word} for word in spelling.split()]],
            "attrs": {"LEMMA": lemma},
        }
        for spelling, lemma in overrides.items()
    ]


def _entity_patterns(entities: Dict[str, List[str]]) -> List[Dict[str, Any]]:
    phrases = [
        {"label": label, "pattern": phrase} for label, items in entities.items() for phrase in items
    ]
    return SPINE_LEVEL_PATTERNS + phrases


def build_pipeline(patterns_file: Path = PATTERNS_FILE) -> Language:
    """Create the pipeline in memory from the patterns file."""
    data = read_yaml_file(patterns_file, mapping=True)
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    ruler = cast(AttributeRuler, nlp.add_pipe("attribute_ruler", after="lemmatizer"))
    for rule in _lemma_rules(data["lemma_overrides"]):
        ruler.add(**rule)
    entity_ruler = cast(EntityRuler,
                        nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"}))
    entity_ruler.add_patterns(_entity_patterns(data["entities"]))
    nlp.meta["name"] = PIPELINE_NAME.replace("_", "-")
    nlp.meta["version"] = f"{PIPELINE_VERSION}.0.0"
    nlp.meta["description"] = "Clinic assistant: lookup lemmas, spelling variants, domain entities"
    return nlp


def main() -> None:
    """Build the pipeline and save it to disk."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=PIPELINE_DIR)
    args = parser.parse_args()
    nlp = build_pipeline()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(args.output)
    print(f"spaCy pipeline {PIPELINE_NAME} written to {args.output}")


if __name__ == "__main__":
    main()
