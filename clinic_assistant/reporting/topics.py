"""Readable names for intents: FAQ titles from answers.yml, the rest from content/report.yml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Mapping, Optional

from clinic_assistant.yaml_files import read_yaml_file

REPORT_FILE = "report.yml"
#: The pseudo-intent of every message sent while a form was open (see tracker_events.py).
FORM_ANSWER = "form_answer"
#: The pseudo-intent of a message stored without an intent.
NO_INTENT = "none"


@dataclass(frozen=True)
class TopicNames:
    """Looks up the name the report shows for an intent."""

    titles: Mapping[str, str]
    #: Shown instead of a red-flag message typed into a form.
    form_text_hidden: str = "(typed in the call-back form, not shown)"
    #: Added to a message that got the emergency advice as a reply to the warning signs ("yes").
    reply_to_signs: str = "(a reply to the warning signs)"

    def __call__(self, intent: str) -> str:
        """The readable name of `intent` (its words, if no title is known)."""
        title = self.titles.get(intent or NO_INTENT)
        if title:
            return title
        words = " ".join((intent or NO_INTENT).replace("_", " ").split())
        return words[:1].upper() + words[1:]


def _read_report_file(path: Path) -> Dict[str, Any]:
    """content/report.yml as a mapping (empty if the file is missing)."""
    if not path.is_file():
        return {}
    return dict(read_yaml_file(path, mapping=True))


def _titles(raw: Any) -> Dict[str, str]:
    if not isinstance(raw, dict):
        return {}
    return {str(k): " ".join(str(v).split()) for k, v in raw.items() if v is not None}


def load_topic_names(content_dir: Optional[Path] = None) -> TopicNames:
    """The names from the content folder (default: the configured one).

    FAQ titles come from answers.yml; if that cannot be read, intents keep plain-word names.
    """
    from clinic_assistant.content import ContentError, load_content
    from clinic_assistant.settings import get_settings

    folder = content_dir or get_settings().content_dir
    data = _read_report_file(folder / REPORT_FILE)
    titles = _titles(data.get("intent_titles"))
    try:
        answers = load_content(folder).answers
    except (ContentError, OSError):
        answers = {}
    titles.update({intent: " ".join(a.title.split()) for intent, a in answers.items()})
    words = {key: " ".join(str(data.get(key) or "").split())
             for key in ("form_text_hidden", "reply_to_signs")}
    return TopicNames(titles, **{key: text for key, text in words.items() if text})
