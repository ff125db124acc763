"""The project files the authoring tools read and edit, and what they hold now."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import FrozenSet, List, Optional, Tuple

from clinic_assistant.content import Content, ContentError, load_content
from clinic_assistant.content_check import describe, domain_intents, training_examples
from clinic_assistant.evaluation.real_questions import read_real_questions
from clinic_assistant.evaluation.examples import normalise_example, read_examples


@dataclass(frozen=True)
class ProjectFiles:
    """Where a project's files are, under `root`."""

    root: Path

    @property
    def domain(self) -> Path:
        """domain.yml."""
        return self.root / "domain.yml"

    @property
    def faq_rules(self) -> Path:
        """The FAQ rules (data/rules/faq.yml)."""
        return self.root / "data" / "rules" / "faq.yml"

    @property
    def nlu_dir(self) -> Path:
        """The training examples' folder (data/nlu/)."""
        return self.root / "data" / "nlu"

    @property
    def content_dir(self) -> Path:
        """The content folder (content/)."""
        return self.root / "content"

    @property
    def answers(self) -> Path:
        """The answers file (content/answers.yml)."""
        return self.content_dir / "answers.yml"

    @property
    def held_out(self) -> Path:
        """The team-written held-out set (tests/nlu/heldout.yml)."""
        return self.root / "tests" / "nlu" / "heldout.yml"

    @property
    def real_questions(self) -> List[Path]:
        """The parts of the real-question test set (tests/nlu/real_questions/*.yml)."""
        return sorted((self.root / "tests" / "nlu" / "real_questions").glob("*.yml"))

    def nlu_file(self, intent: str) -> Path:
        """The training-data file of a FAQ intent."""
        return self.nlu_dir / f"{intent}.yml"

    def relative(self, path: Path) -> str:
        """A path as staff see it, relative to the project folder."""
        return str(path.relative_to(self.root))


@dataclass(frozen=True)
class ProjectState:
    """What the project holds now: intents, content, training examples, held-out sentences."""

    intents: List[str]
    content: Content
    examples: List[Tuple[str, str]]
    held_out: FrozenSet[str]


def load_state(files: ProjectFiles) -> ProjectState:
    """Read the project (raises ContentError with a plain message when a file is broken)."""
    held_out = [t for _, t in read_examples([files.held_out])] if files.held_out.is_file() else []
    held_out += [q.text for part in files.real_questions for q in read_real_questions(part)]
    return ProjectState(
        intents=domain_intents(files.domain),
        content=load_content(files.content_dir),
        examples=training_examples(files.root),
        held_out=frozenset(normalise_example(text) for text in held_out),
    )


def load_state_or_explain(files: ProjectFiles) -> Optional[ProjectState]:
    """The project's state, or None after printing what to fix first."""
    try:
        return load_state(files)
    except ContentError as error:
        print(f"{describe(error, files.root)}\nFix this first (make validate lists everything).")
        return None
