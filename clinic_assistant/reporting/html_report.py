"""The report as one self-contained HTML page (report.html): inline CSS and SVG charts only."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Iterable, List, Sequence

from clinic_assistant.reporting.report import Report
from clinic_assistant.reporting.svg_charts import bar_chart, column_chart
from clinic_assistant.reporting.wording import (
    AUDIENCE, NONE, RED_FLAGS_NOTE, SHOWN_GROUPS, TITLE, TOP_INTENTS, TOTALS_NOTE,
    UNANSWERED_NOTE, groups_note, kind_headers, period, seen, share, total_rows, when,
)

# The page may load nothing: no scripts, no external styles, fonts or images.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; color: #222;
       padding: 0 1rem; line-height: 1.4; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2.2rem; }
.audience { border-left: 4px solid #b45f06; background: #fdf3e7; padding: .6rem 1rem; }
table { border-collapse: collapse; margin: .6rem 0; }
th, td { border: 1px solid #ccc; padding: .3rem .6rem; text-align: left; vertical-align: top; }
th { background: #f1f4f8; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
ul.examples { margin: 0; padding-left: 1.1rem; }
.chart { display: block; margin: .6rem 0; }
.note { color: #555; max-width: 48rem; }
.scroll { overflow-x: auto; max-width: 100%; }
.scroll:focus-visible { outline: 2px solid #0b5394; outline-offset: 2px; }
td.text { min-width: 20rem; max-width: 40rem; overflow-wrap: anywhere; }
td.topic { min-width: 10rem; }
td.date, .nw { white-space: nowrap; }
@media (max-width: 40rem) {
  body { margin: 1rem auto; padding: 0 .75rem; }
  h1 { font-size: 1.35rem; }
  th, td { padding: .3rem .4rem; }
  td.text { min-width: 13rem; }
  td.topic { min-width: 8rem; }
}
"""


@dataclass(frozen=True)
class Cell:
    """HTML for a table cell with a CSS class."""

    html: str
    css: str


def text(html: str) -> Cell:
    """A cell of patient text: wraps, and breaks very long words."""
    return Cell(html, "text")


def date(value: str) -> Cell:
    """A cell with a date, time or reference that should not wrap (escaped)."""
    return Cell(escape(value), "date")


def days(first_last: str) -> str:
    """'2026-03-01 / 2026-03-05' that may wrap at the slash but never inside a date."""
    return " / ".join(f'<span class="nw">{escape(day)}</span>' for day in first_last.split(" / "))


def topic(name: str) -> Cell:
    """A cell naming a topic (escaped)."""
    return Cell(escape(name), "topic")


def _cell(value: object) -> str:
    if isinstance(value, int):
        return f'<td class="n">{value}</td>'
    if isinstance(value, Cell):
        return f'<td class="{value.css}">{value.html}</td>'
    return f"<td>{value}</td>"


def table(header: Sequence[str], rows: Iterable[Sequence[object]], caption: str) -> str:
    """A table that scrolls sideways on its own if it is wider than the screen.

    Strings in `rows` must already be HTML (use `escape` for texts).
    """
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in header)
    body = "".join(f"<tr>{''.join(_cell(c) for c in row)}</tr>" for row in rows)
    if not body:
        return f"<p>{escape(NONE)}</p>"
    return (f'<div class="scroll" role="region" aria-label="{escape(caption)}" tabindex="0">'
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")


def scrolling(content: str, label: str) -> str:
    """`content` (a chart) in a box that scrolls sideways if it is wider than the screen."""
    return (f'<div class="scroll" role="region" aria-label="{escape(label)}" tabindex="0">'
            f"{content}</div>")


def examples(texts: Sequence[str]) -> str:
    """A list of patient texts, escaped."""
    if not texts:
        return ""
    return '<ul class="examples">' + "".join(f"<li>{escape(t)}</li>" for t in texts) + "</ul>"


def render_html(report: Report) -> str:
    """report.html: charts and tables; every text from the database is escaped."""
    total = report.totals.user_messages
    day_labels = [str(d.day) for d in report.days]
    fallback, rejected, outside = kind_headers(report)
    parts: List[str] = [
        f"<h1>{escape(TITLE)}</h1>",
        f"<p>{escape(period(report))}</p>",
        f'<p class="audience">{escape(AUDIENCE)}</p>',
        "<h2>Totals</h2>",
        f'<p class="note">{escape(TOTALS_NOTE)}</p>',
        table(["Figure", "Count"], [(escape(name), n) for name, n in total_rows(report)],
              "Totals"),
        "<h2>Conversations and messages per day</h2>",
        scrolling(column_chart(day_labels, [
            ("conversations", [d.conversations for d in report.days], "#0b5394"),
            ("user messages", [d.user_messages for d in report.days], "#6fa8dc"),
            ("unanswered", [d.unanswered for d in report.days], "#b45f06"),
        ], "Conversations, user messages and unanswered messages per day"),
            "Chart: per day") if day_labels else "",
        table(["Day", "Conversations", "User messages", "Unanswered", "Red flags",
               "Requests for a person"],
              [(date(str(d.day)), d.conversations, d.user_messages, d.unanswered, d.red_flags,
                d.handoffs) for d in report.days], "Per day"),
        "<h2>What patients asked about</h2>",
        scrolling(bar_chart(report.intents[:TOP_INTENTS], "User messages per topic"),
                  "Chart: messages per topic"),
        table(["Topic", "Messages", "Share"],
              [(topic(t), n, share(n, total)) for t, n in report.intents[:TOP_INTENTS]],
              "Messages per topic"),
        "<h2>Unanswered questions, grouped by similarity</h2>",
        f'<p class="note">{escape(UNANSWERED_NOTE)}</p>',
        f'<p class="note">{escape(groups_note(report))}</p>' if groups_note(report) else "",
        table(["#", "Examples", "Messages", "Conversations", fallback, rejected, outside,
               "First / last seen"],
              [(n, text(examples(g.examples)), g.messages, g.conversations, g.kinds["fallback"],
                g.kinds["clarification miss"], g.kinds["out of scope"],
                days(seen(report, g.first_seen, g.last_seen)))
               for n, g in enumerate(report.unanswered[:SHOWN_GROUPS], 1)],
              "Unanswered questions"),
        "<h2>Red flags raised</h2>",
        f'<p class="note">{escape(RED_FLAGS_NOTE)}</p>',
        table(["Time", "Message", "Conversation"],
              [(date(when(f.time)), text(escape(f.text)), date(f.conversation))
               for f in report.red_flags], "Red flags"),
        "<h2>Requests for a person</h2>",
        table(["Request", "Messages", "Conversations"],
              [(topic(h.intent), h.messages, h.conversations) for h in report.handoffs],
              "Requests for a person"),
        "<h2>Answer ratings</h2>",
        table(["Topic", "Helpful", "Not helpful", "Questions before a \"not helpful\""],
              [(topic(r.topic), r.helpful, r.unhelpful, text(examples(r.questions)))
               for r in report.ratings], "Answer ratings"),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="robots" content="noindex"><title>{escape(TITLE)}</title>'
        f"<style>{STYLE}</style></head><body>\n" + "\n".join(parts) + "\n</body></html>\n"
    )
