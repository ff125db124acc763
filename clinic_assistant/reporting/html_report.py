"""The report as one self-contained HTML page (report.html): inline CSS and SVG charts only."""

from __future__ import annotations

from html import escape
from typing import Iterable, List, Sequence

from clinic_assistant.reporting.report import Report
from clinic_assistant.reporting.svg_charts import bar_chart, column_chart
from clinic_assistant.reporting.wording import (
    AUDIENCE, NONE, TITLE, TOP_INTENTS, TOTALS_NOTE, UNANSWERED_NOTE, period, seen, share,
    total_rows, when,
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
.chart { max-width: 100%; height: auto; display: block; margin: .6rem 0; }
.note { color: #555; }
"""


def _cell(value: object) -> str:
    numeric = isinstance(value, int)
    return f'<td class="n">{value}</td>' if numeric else f"<td>{value}</td>"


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A table; strings in `rows` must already be HTML (use `escape` for texts)."""
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(f"<tr>{''.join(_cell(c) for c in row)}</tr>" for row in rows)
    if not body:
        return f"<p>{escape(NONE)}</p>"
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def examples(texts: Sequence[str]) -> str:
    """A list of patient texts, escaped."""
    return '<ul class="examples">' + "".join(f"<li>{escape(t)}</li>" for t in texts) + "</ul>"


def render_html(report: Report) -> str:
    """report.html: charts and tables; every text from the database is escaped."""
    total = report.totals.user_messages
    days = [str(d.day) for d in report.days]
    parts: List[str] = [
        f"<h1>{escape(TITLE)}</h1>",
        f"<p>{escape(period(report))}</p>",
        f'<p class="audience">{escape(AUDIENCE)}</p>',
        "<h2>Totals</h2>",
        f'<p class="note">{escape(TOTALS_NOTE)}</p>',
        table(["Figure", "Count"], [(escape(name), n) for name, n in total_rows(report)]),
        "<h2>Conversations and messages per day</h2>",
        column_chart(days, [
            ("conversations", [d.conversations for d in report.days], "#0b5394"),
            ("user messages", [d.user_messages for d in report.days], "#6fa8dc"),
            ("unanswered", [d.unanswered for d in report.days], "#e69138"),
        ], "Conversations, user messages and unanswered messages per day") if days else "",
        table(["Day", "Conversations", "User messages", "Unanswered", "Red flags", "Handoffs"],
              [(escape(str(d.day)), d.conversations, d.user_messages, d.unanswered, d.red_flags,
                d.handoffs) for d in report.days]),
        "<h2>Intent frequency</h2>",
        bar_chart(report.intents[:TOP_INTENTS], "User messages per intent"),
        table(["Intent", "Messages", "Share"],
              [(escape(i), n, share(n, total)) for i, n in report.intents[:TOP_INTENTS]]),
        "<h2>Unanswered questions, grouped by similarity</h2>",
        f'<p class="note">{escape(UNANSWERED_NOTE)}</p>',
        table(["#", "Messages", "Conversations", "Fallback", "Clarification misses",
               "Out of scope", "Examples", "First / last seen"],
              [(n, g.messages, g.conversations, g.kinds["fallback"],
                g.kinds["clarification miss"], g.kinds["out of scope"], examples(g.examples),
                escape(seen(report, g.first_seen, g.last_seen)))
               for n, g in enumerate(report.unanswered, 1)]),
        "<h2>Red flags raised</h2>",
        table(["Time", "Conversation", "Message"],
              [(escape(when(f.time)), escape(f.conversation), escape(f.text))
               for f in report.red_flags]),
        "<h2>Handoffs requested</h2>",
        table(["Intent", "Messages", "Conversations"],
              [(escape(h.intent), h.messages, h.conversations) for h in report.handoffs]),
        "<h2>Answer ratings</h2>",
        table(["Topic", "Helpful", "Unhelpful", "Questions before an unhelpful answer"],
              [(escape(r.topic), r.helpful, r.unhelpful, examples(r.questions))
               for r in report.ratings]),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="robots" content="noindex"><title>{escape(TITLE)}</title>'
        f"<style>{STYLE}</style></head><body>\n" + "\n".join(parts) + "\n</body></html>\n"
    )
