"""Small bar charts as inline SVG (no scripts, fonts or files), every label escaped."""

from __future__ import annotations

from html import escape
from typing import List, Sequence, Tuple

from clinic_assistant.reporting.texts import shorten

#: (name, values, colour) of one series of bars.
Series = Tuple[str, Sequence[int], str]

FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def _max(values: Sequence[int]) -> int:
    return max([1, *values])


def _open(width: int, height: int, title: str) -> str:
    # Drawn at its own size; CSS may shrink it on a narrow screen but never enlarges it.
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
            f'class="chart"><title>{escape(title)}</title>')


def column_chart(labels: Sequence[str], series: Sequence[Series], title: str) -> str:
    """Grouped vertical bars, one group per label (e.g. per day), with a legend."""
    slot, bar, height, top, bottom, left = 14 * len(series) + 12, 14, 160, 30, 72, 36
    width = max(left + len(labels) * slot, left + 150 * len(series)) + 50
    peak = _max([v for _, values, _ in series for v in values])
    step = max(1, len(labels) // 20)  # at most ~20 axis labels
    parts: List[str] = [
        _open(width, top + height + bottom, title),
        f'<text x="{left}" y="{height + top + 4}" {FONT} text-anchor="end" dx="-4">0</text>',
        f'<text x="{left}" y="{top + 4}" {FONT} text-anchor="end" dx="-4">{peak}</text>',
        f'<line x1="{left}" y1="{top + height}" x2="{width - 10}" y2="{top + height}" '
        'stroke="#888"/>',
    ]
    for s, (name, _, colour) in enumerate(series):
        x = left + s * 150
        parts.append(f'<rect x="{x}" y="6" width="10" height="10" fill="{escape(colour)}"/>'
                     f'<text x="{x + 14}" y="15" {FONT}>{escape(name)}</text>')
    for i, label in enumerate(labels):
        x0 = left + i * slot + 6
        for s, (name, values, colour) in enumerate(series):
            value = values[i]
            h = round(height * value / peak)
            parts.append(
                f'<rect x="{x0 + s * bar}" y="{top + height - h}" width="{bar - 2}" height="{h}" '
                f'fill="{escape(colour)}"><title>{escape(label)}: {value} {escape(name)}</title>'
                '</rect>'
            )
        if i % step == 0:
            parts.append(f'<text x="{x0}" y="{top + height + 14}" {FONT} '
                         f'transform="rotate(45 {x0} {top + height + 14})">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


#: Characters of a bar's label (a topic title); a longer one is shortened at a word.
LABEL_CHARACTERS = 42


def bar_chart(items: Sequence[Tuple[str, int]], title: str, colour: str = "#0b5394") -> str:
    """Horizontal bars, one per (label, value), with the value at the end of each bar."""
    row, label_width, bar_width, top = 22, 270, 330, 6
    peak = _max([v for _, v in items])
    height = top * 2 + max(len(items), 1) * row
    parts: List[str] = [_open(label_width + bar_width + 50, height, title)]
    for i, (label, value) in enumerate(items):
        y = top + i * row
        w = round(bar_width * value / peak)
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 15}" {FONT} text-anchor="end">'
            f'{escape(shorten(label, LABEL_CHARACTERS))}<title>{escape(label)}</title></text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{w}" height="{row - 6}" '
            f'fill="{escape(colour)}"/><text x="{label_width + w + 4}" y="{y + 15}" {FONT}>'
            f'{value}</text>'
        )
    if not items:
        parts.append(f'<text x="10" y="20" {FONT}>No data</text>')
    parts.append("</svg>")
    return "".join(parts)
