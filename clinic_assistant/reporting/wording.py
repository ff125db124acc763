"""Titles and notes shared by the HTML and Markdown reports."""

from __future__ import annotations

from datetime import datetime
from typing import List, Tuple

from clinic_assistant.reporting.intents import FALLBACK, NONE_OF_THESE, OUT_OF_SCOPE
from clinic_assistant.reporting.report import Report
from clinic_assistant.reporting.topics import FORM_ANSWER

TITLE = "What patients asked that the assistant could not answer"
AUDIENCE = (
    "Contains patient messages: only for clinic staff responsible for the assistant's content "
    "and for data protection. Store and share it like patient records. Phone numbers and email "
    "addresses are removed; other personal details patients typed may remain."
)
TOTALS_NOTE = (
    "A conversation is one session of one sender (Rasa starts a new session after the silence "
    "set in domain.yml); user messages include button clicks."
)
UNANSWERED_NOTE = (
    "Messages the assistant did not understand, that were outside what it covers, or whose "
    "\"did you mean\" the patient rejected (counted against the question typed before it), "
    "grouped by similarity. Answers to the call-back form are never counted here. Long "
    "messages are shortened; unanswered.yml lists every wording for labelling."
)
RED_FLAGS_NOTE = (
    "Each conversation is named by its handoff number if staff were asked to take it, "
    "otherwise by a short reference (C- and 8 characters) that cannot be turned back into the "
    "conversation."
)
TOP_INTENTS = 25
#: Groups of unanswered questions shown in the tables (the largest first).
SHOWN_GROUPS = 50
NONE = "None in this period."


def when(moment: datetime) -> str:
    """A time as the report shows it."""
    return f"{moment:%Y-%m-%d %H:%M}"


def seen(report: Report, first: float, last: float) -> str:
    """The days (in the report's time zone) of the first and last of some messages."""
    tz = report.generated_at.tzinfo
    first_day, last_day = (datetime.fromtimestamp(t, tz).date() for t in (first, last))
    return f"{first_day} / {last_day}"


def period(report: Report) -> str:
    """What the report covers, in one sentence."""
    tz = report.generated_at.tzinfo
    zone = getattr(tz, "key", None) or report.generated_at.tzname() or "UTC"
    covered = (f"messages from {report.first_day} to {report.last_day}"
               if report.first_day else "no messages")
    return f"Generated {when(report.generated_at)} ({zone}) from {report.scope}: {covered}."


def total_rows(report: Report) -> List[Tuple[str, int]]:
    """(figure, count) rows of the totals table."""
    t, name = report.totals, report.names
    return [
        ("Conversations", t.conversations),
        ("Patients (senders)", t.patients),
        ("User messages", t.user_messages),
        (f"Unanswered: {name(FALLBACK)}", t.fallback),
        (f"Unanswered: {name(NONE_OF_THESE)}", t.clarification_misses),
        (f"Unanswered: {name(OUT_OF_SCOPE)}", t.out_of_scope),
        (name(FORM_ANSWER), t.form_answers),
        ("Red flags raised", t.red_flags),
        ("Requests for a person", t.handoffs),
        ("Answers rated helpful", sum(r.helpful for r in report.ratings)),
        ("Answers rated unhelpful", sum(r.unhelpful for r in report.ratings)),
    ]


def share(count: int, total: int) -> str:
    """`count` as a percentage of `total`."""
    return f"{100 * count / total:.1f}%" if total else "-"


def kind_headers(report: Report) -> List[str]:
    """Column headers for the three kinds of unanswered message, in UNANSWERED_KINDS order."""
    return [report.names(intent) for intent in (FALLBACK, NONE_OF_THESE, OUT_OF_SCOPE)]


def groups_note(report: Report) -> str:
    """What the table of unanswered questions leaves out, if anything ('' if nothing)."""
    groups = report.unanswered
    notes = []
    if len(groups) > SHOWN_GROUPS:
        hidden = groups[SHOWN_GROUPS:]
        notes.append(f"Showing the {SHOWN_GROUPS} largest of {len(groups)} groups; the other "
                     f"{len(hidden)} have {sum(g.messages for g in hidden)} messages in all.")
    rare = sum(1 for g in groups if not g.by_meaning)
    if rare:
        notes.append(f"{rare} rarely used wordings were not compared by meaning (there were too "
                     "many to group quickly); each is counted on its own.")
    return " ".join(notes)
