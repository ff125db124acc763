"""Name and location of the project's spaCy pipeline (kept free of heavy imports)."""

from __future__ import annotations

from clinic_assistant.settings import PROJECT_ROOT

#: Bump after any change to the pipeline: Rasa fingerprints a spaCy model by its path only.
PIPELINE_VERSION = 1
PIPELINE_NAME = f"clinic_en_v{PIPELINE_VERSION}"
PIPELINE_DIR = PROJECT_ROOT / "build" / "spacy" / PIPELINE_NAME
