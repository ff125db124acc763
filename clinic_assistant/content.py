"""Load the staff-editable content files into typed, validated objects.

The wording of every answer and message lives in `content/*.yml`; this module only reads it,
checks its shape and fills in clinic facts such as the phone number. A malformed file raises a
`ContentError` that names the file, the entry and what to do, so a bad edit fails loudly.
"""

from __future__ import annotations

import datetime as dt
import string
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple, cast
from urllib.parse import urlsplit

from clinic_assistant.settings import get_settings
from clinic_assistant.source_policy import (
    POLICY_FILE, SourcePolicy, SourcePolicyError, parse_source_policy,
)
from clinic_assistant.yaml_files import ContentError as ContentError
from clinic_assistant.yaml_files import read_yaml_file

ANSWERS_FILE = "answers.yml"
MESSAGES_FILE = "messages.yml"
CLINIC_FILE = "clinic.yml"

#: Placeholders filled in at run time by the actions (besides the clinic facts).
RUNTIME_PLACEHOLDERS = frozenset({
    "spine_level", "date", "topic", "sources",
    "name", "reference", "preferred_time", "contact", "days",
})
#: The entry under `button_titles` that holds one title per rating instead of a single title.
FEEDBACK_TITLES_KEY = "feedback"


@dataclass(frozen=True)
class Source:
    """A reference an answer is based on: its title (`label`), address and the short name of
    its publisher that patients see under the answer ("Sources: NHS, FDA")."""

    label: str
    url: str
    publisher: str = ""


@dataclass(frozen=True)
class Answer:
    """One curated FAQ answer, keyed by the intent it answers."""

    intent: str
    title: str
    answer: str
    more: Optional[str]
    sources: Tuple[Source, ...]
    reviewed_on: dt.date
    reviewed_by: str
    follow_ups: Tuple[str, ...]
    stem_cell: bool


@dataclass(frozen=True)
class ClinicFacts:
    """The clinic's contact details, used to fill placeholders such as `{phone}`."""

    clinic_name: str
    phone: str
    email: str
    address: str
    opening_hours: str
    time_zone: str
    emergency_number: str
    website: str

    def placeholders(self) -> Dict[str, str]:
        """The facts as a mapping from placeholder name to value; `{time_zone}` is the name
        patients know (the part in brackets of "America/Chicago (Central Time)")."""
        values = {field.name: getattr(self, field.name) for field in fields(self)}
        values["time_zone"] = self.time_zone_name
        return values

    @property
    def time_zone_name(self) -> str:
        """"Central Time" for "America/Chicago (Central Time)"; the whole value without brackets."""
        opening, closing = self.time_zone.find("("), self.time_zone.rfind(")")
        if 0 <= opening < closing:
            return self.time_zone[opening + 1:closing].strip()
        return self.time_zone


@dataclass(frozen=True)
class Reply:
    """A short conversational reply (greeting, thanks ...) with optional topic buttons."""

    text: str
    buttons: Tuple[str, ...]


@dataclass(frozen=True)
class Content:
    """Everything the actions say, loaded from the content folder."""

    answers: Mapping[str, Answer]
    messages: Mapping[str, str]
    replies: Mapping[str, Reply]
    button_titles: Mapping[str, str]
    clinic: ClinicFacts
    #: Titles of the rating buttons under an answer, by rating ("helpful", "unhelpful").
    feedback_titles: Mapping[str, str] = field(default_factory=dict)
    #: Which sites answers may cite (content/source_policy.yml); None if not loaded.
    source_policy: Optional[SourcePolicy] = None

    def message(self, key: str, **runtime: str) -> str:
        """A message with clinic facts and run-time values filled in."""
        return self.render(self.messages[key], **runtime)

    def render(self, template: str, **runtime: str) -> str:
        """Any content text with clinic facts and run-time values filled in."""
        return render(template, self.clinic, **runtime)

    def button_title(self, intent: str) -> str:
        """The title shown on a button that triggers `intent`."""
        if intent in self.answers:
            return self.answers[intent].title
        return self.button_titles[intent]

    def buttons(self, intents: Tuple[str, ...] | List[str]) -> List[Dict[str, str]]:
        """Quick-reply buttons whose payloads trigger the given intents."""
        return [{"title": self.button_title(i), "payload": f"/{i}"} for i in intents]


def render(template: str, clinic: ClinicFacts, **runtime: str) -> str:
    """Fill `{placeholders}` in a template with clinic facts and run-time values."""
    return template.format_map({**clinic.placeholders(), **runtime})


def placeholders_in(template: str) -> List[str]:
    """Names of the `{placeholders}` used in a template (raises ValueError on bad braces)."""
    return [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]


def _read_yaml(path: Path) -> Dict[str, Any]:
    return cast(Dict[str, Any], read_yaml_file(path, mapping=True))


def _require_text(
    path: Path, entry: str, data: Mapping[str, Any], key: str, *, optional: bool = False
) -> Optional[str]:
    value = data.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ContentError(path, entry, f"field '{key}' is missing or empty. Write it as text.")
    return " ".join(value.split()) if key != "url" else value.strip()


def _check_placeholders(path: Path, entry: str, text: str, allowed: frozenset) -> None:
    try:
        names = placeholders_in(text)
    except ValueError as error:
        raise ContentError(
            path, entry, f"has a stray '{{' or '}}' ({error}). Use braces only for placeholders."
        ) from error
    unknown = sorted(set(names) - allowed)
    if unknown:
        raise ContentError(
            path,
            entry,
            f"uses unknown placeholder(s) {unknown}. Allowed: {sorted(allowed)}.",
        )


def _publisher(url: str, given: Optional[str], policy: Optional[SourcePolicy]) -> str:
    """The source's own `publisher`, else its site's in the policy, else the site's name."""
    if given:
        return given
    site = policy.site_for(url) if policy else None
    if site:
        return site.publisher
    host = urlsplit(url).hostname or url
    return host[4:] if host.startswith("www.") else host


def _parse_sources(
    path: Path, entry: str, raw: Any, policy: Optional[SourcePolicy] = None
) -> Tuple[Source, ...]:
    if not isinstance(raw, list) or not raw:
        raise ContentError(
            path, entry, "field 'sources' needs at least one source with a 'label' and a 'url'."
        )
    sources = []
    for index, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise ContentError(path, entry, f"source {index} must have a 'label' and a 'url'.")
        label = _require_text(path, f"{entry} source {index}", item, "label")
        url = _require_text(path, f"{entry} source {index}", item, "url")
        assert label is not None and url is not None
        if not url.startswith(("https://", "http://")):
            raise ContentError(path, entry, f"source {index} url must start with https://.")
        given = _require_text(path, f"{entry} source {index}", item, "publisher", optional=True)
        sources.append(Source(label=label, url=url, publisher=_publisher(url, given, policy)))
    return tuple(sources)


def _parse_date(path: Path, entry: str, raw: Any) -> dt.date:
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError as error:
        raise ContentError(
            path, entry, "field 'reviewed_on' must be a date like 2026-11-25."
        ) from error


def _parse_answer(
    path: Path, intent: str, raw: Any, allowed: frozenset,
    policy: Optional[SourcePolicy] = None,
) -> Answer:
    if not isinstance(raw, dict):
        raise ContentError(path, intent, "must be a mapping of fields (title, answer, ...).")
    follow_ups = raw.get("follow_ups", [])
    if not isinstance(follow_ups, list) or not all(isinstance(f, str) for f in follow_ups):
        raise ContentError(path, intent, "field 'follow_ups' must be a list of intent names.")
    answer = Answer(
        intent=intent,
        title=str(_require_text(path, intent, raw, "title")),
        answer=str(_require_text(path, intent, raw, "answer")),
        more=_require_text(path, intent, raw, "more", optional=True),
        sources=_parse_sources(path, intent, raw.get("sources"), policy),
        reviewed_on=_parse_date(path, intent, raw.get("reviewed_on")),
        reviewed_by=str(_require_text(path, intent, raw, "reviewed_by")),
        follow_ups=tuple(follow_ups),
        stem_cell=bool(raw.get("stem_cell", False)),
    )
    for text in filter(None, (answer.answer, answer.more)):
        _check_placeholders(path, intent, text, allowed)
    return answer


def _parse_clinic(path: Path) -> ClinicFacts:
    raw = _read_yaml(path).get("clinic")
    if not isinstance(raw, dict):
        raise ContentError(path, "clinic", "must be a mapping of clinic facts.")
    values = {}
    for fact in fields(ClinicFacts):
        key = "name" if fact.name == "clinic_name" else fact.name
        values[fact.name] = str(_require_text(path, f"clinic.{key}", raw, key))
    return ClinicFacts(**values)


def _parse_replies(path: Path, raw: Any, allowed: frozenset) -> Dict[str, Reply]:
    if not isinstance(raw, dict):
        raise ContentError(path, "replies", "must be a mapping from intent to reply.")
    replies = {}
    for intent, item in raw.items():
        if not isinstance(item, dict):
            raise ContentError(path, f"replies.{intent}", "needs a 'text' field.")
        text = str(_require_text(path, f"replies.{intent}", item, "text"))
        _check_placeholders(path, f"replies.{intent}", text, allowed)
        buttons = item.get("buttons", [])
        if not isinstance(buttons, list):
            raise ContentError(path, f"replies.{intent}", "'buttons' must be a list of intents.")
        replies[intent] = Reply(text=text, buttons=tuple(buttons))
    return replies


def _parse_policy(path: Path) -> SourcePolicy:
    try:
        return parse_source_policy(_read_yaml(path))
    except SourcePolicyError as error:
        raise ContentError(path, error.entry, error.problem) from error


def load_content(content_dir: Path) -> Content:
    """Read and validate the content files in `content_dir` (answers, messages, clinic facts
    and the source policy)."""
    clinic = _parse_clinic(content_dir / CLINIC_FILE)
    policy = _parse_policy(content_dir / POLICY_FILE)
    allowed = frozenset(clinic.placeholders()) | RUNTIME_PLACEHOLDERS

    answers_path = content_dir / ANSWERS_FILE
    raw_answers = _read_yaml(answers_path).get("answers")
    if not isinstance(raw_answers, dict) or not raw_answers:
        raise ContentError(answers_path, None, "needs an 'answers' mapping with entries.")
    answers = {
        intent: _parse_answer(answers_path, intent, raw, allowed, policy)
        for intent, raw in raw_answers.items()
    }

    messages_path = content_dir / MESSAGES_FILE
    raw_messages = _read_yaml(messages_path)
    messages = raw_messages.get("messages")
    if not isinstance(messages, dict):
        raise ContentError(messages_path, "messages", "must be a mapping from key to text.")
    for key in messages:
        text = _require_text(messages_path, f"messages.{key}", messages, key)
        messages[key] = text
        _check_placeholders(messages_path, f"messages.{key}", str(text), allowed)
    button_titles, feedback_titles = _parse_button_titles(
        messages_path, raw_messages.get("button_titles")
    )

    return Content(
        answers=answers,
        messages=messages,
        replies=_parse_replies(messages_path, raw_messages.get("replies"), allowed),
        button_titles=button_titles,
        clinic=clinic,
        feedback_titles=feedback_titles,
        source_policy=policy,
    )


def _parse_button_titles(path: Path, raw: Any) -> Tuple[Dict[str, str], Dict[str, str]]:
    """Titles by intent, and the rating buttons' titles by rating (`feedback:` entry)."""
    raw = raw or {}
    if not isinstance(raw, dict):
        raise ContentError(path, "button_titles", "must map intents to titles.")
    titles = {k: str(v) for k, v in raw.items() if k != FEEDBACK_TITLES_KEY}
    feedback = raw.get(FEEDBACK_TITLES_KEY) or {}
    entry = f"button_titles.{FEEDBACK_TITLES_KEY}"
    if not isinstance(feedback, dict):
        raise ContentError(path, entry, "must give one title per rating, e.g. 'helpful: Helpful'.")
    for rating in feedback:
        _require_text(path, f"{entry}.{rating}", feedback, rating)
    return titles, {str(k): " ".join(str(v).split()) for k, v in feedback.items()}


@lru_cache(maxsize=1)
def get_content() -> Content:
    """The content of the configured folder, loaded once per process.

    Restart the action server after editing a content file to pick up the change.
    """
    return load_content(get_settings().content_dir)
