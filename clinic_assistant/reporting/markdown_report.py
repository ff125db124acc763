"""The report as Markdown tables (summary.md)."""

from __future__ import annotations

import re
from typing import Iterable, List, Sequence

from clinic_assistant.reporting.report import Report
from clinic_assistant.reporting.wording import (
    AUDIENCE, NONE, RED_FLAGS_NOTE, SHOWN_GROUPS, TITLE, TOP_INTENTS, TOTALS_NOTE,
    UNANSWERED_NOTE, groups_note, kind_headers, period, seen, share, total_rows, when,
)

# Characters that could make Markdown (or HTML inside it) of a patient's text: "_" only where
# it could start or end emphasis (not in faq_cost), "]" only where a link could follow (so
# "[phone]" stays readable).
_SPECIAL = re.compile(r"([\\`*<>|~&]|\](?=[(\[])|(?<!\w)_|_(?!\w))")


def cell(text: object) -> str:
    """A table cell: one line, Markdown and HTML characters escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def table(header: Sequence[str], align: str, rows: Iterable[Sequence[object]]) -> List[str]:
    """A Markdown table; `align` has an 'l' or 'r' per column. 'None' when there are no rows."""
    body = [f"| {' | '.join(cell(c) for c in row)} |" for row in rows]
    if not body:
        return [NONE]
    rule = "|".join("---:" if a == "r" else "---" for a in align)
    return [f"| {' | '.join(cell(h) for h in header)} |", f"|{rule}|", *body]


def render_markdown(report: Report) -> str:
    """summary.md: the same figures as the HTML report."""
    total = report.totals.user_messages
    lines = [f"# {TITLE}", "", period(report), "", f"> {AUDIENCE}", "", "## Totals", "",
             TOTALS_NOTE, ""]
    lines += table(["Figure", "Count"], "lr", total_rows(report))
    lines += ["", "## Per day", ""]
    lines += table(
        ["Day", "Conversations", "User messages", "Unanswered", "Red flags",
         "Requests for a person"],
        "lrrrrr",
        [(d.day, d.conversations, d.user_messages, d.unanswered, d.red_flags, d.handoffs)
         for d in report.days],
    )
    lines += ["", "## What patients asked about", ""]
    lines += table(["Topic", "Messages", "Share"], "lrr",
                   [(i, n, share(n, total)) for i, n in report.intents[:TOP_INTENTS]])
    lines += ["", "## Unanswered questions, grouped by similarity", "", UNANSWERED_NOTE, ""]
    if groups_note(report):
        lines += [groups_note(report), ""]
    lines += table(
        ["#", "Examples", "Messages", "Conversations", *kind_headers(report),
         "First / last seen"],
        "rlrrrrrl",
        [(n, "; ".join(g.examples), g.messages, g.conversations, g.kinds["fallback"],
          g.kinds["clarification miss"], g.kinds["out of scope"],
          seen(report, g.first_seen, g.last_seen))
         for n, g in enumerate(report.unanswered[:SHOWN_GROUPS], 1)],
    )
    lines += ["", "## Red flags raised", "", RED_FLAGS_NOTE, ""]
    lines += table(["Time", "Message", "Conversation"], "lll",
                   [(when(f.time), f.text, f.conversation) for f in report.red_flags])
    lines += ["", "## Requests for a person", ""]
    lines += table(["Request", "Messages", "Conversations"], "lrr",
                   [(h.intent, h.messages, h.conversations) for h in report.handoffs])
    lines += ["", "## Answer ratings", ""]
    lines += table(["Topic", "Helpful", "Not helpful", 'Questions before a "not helpful"'],
                   "lrrl",
                   [(r.topic, r.helpful, r.unhelpful, "; ".join(r.questions))
                    for r in report.ratings])
    return "\n".join(lines) + "\n"
