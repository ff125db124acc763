"""Write the report of what patients asked that the assistant could not answer.

Run: python -m clinic_assistant.reporting [--db var/tracker.db | --url <SQLAlchemy URL>]
     [--out reports/] [--days N] [--sender-prefix P] [--tz Europe/London]
     [--handoff-url <SQLAlchemy URL>]
Writes report.html, summary.md and unanswered.yml to --out. They contain patient messages
(phone numbers and emails removed): share them only like patient records. Nothing a patient
wrote is printed. Conversations are named by handoff number (read from the handoff database)
or a short keyed hash (REPORT_REFERENCE_KEY), never by their id.
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import datetime, tzinfo
from pathlib import Path
from typing import List, Optional

import numpy as np

from clinic_assistant.reporting.html_report import render_html
from clinic_assistant.reporting.markdown_report import render_markdown
from clinic_assistant.reporting.nlu_export import render_nlu_yaml
from clinic_assistant.reporting.handoff_numbers import read_handoff_times
from clinic_assistant.reporting.privacy import redact
from clinic_assistant.reporting.references import References, reference_key
from clinic_assistant.reporting.report import Report, build_report
from clinic_assistant.time_zone import clinic_time_zone, parse_time_zone
from clinic_assistant.reporting.tracker_events import read_user_messages, sqlite_url

DEFAULT_DB = "var/tracker.db"
SECONDS_PER_DAY = 86400
FILES = ("report.html", "summary.md", "unanswered.yml")


def parse_args(argv: Optional[List[str]]) -> argparse.Namespace:
    """The command-line options."""
    parser = argparse.ArgumentParser(
        prog="python -m clinic_assistant.reporting", description=__doc__.splitlines()[0]
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--db", type=Path, default=None,
                        help="SQLite tracker file (default: $TRACKER_DB or var/tracker.db)")
    source.add_argument("--url", default=None,
                        help="any SQLAlchemy URL of the tracker store, e.g. postgresql://...")
    parser.add_argument("--out", type=Path, default=Path("reports"), help="output folder")
    parser.add_argument("--days", type=int, default=None, help="only the last N days")
    parser.add_argument("--sender-prefix", default=None,
                        help="only conversations whose sender id starts with this")
    parser.add_argument("--tz", default=None,
                        help="time zone for days (default: the clinic's, content/clinic.yml)")
    parser.add_argument("--handoff-url", default=None,
                        help="handoff database, for handoff numbers (default: $HANDOFF_DB_URL "
                             "or var/handoff.db; none if it does not exist)")
    args = parser.parse_args(argv)
    if args.days is not None and args.days < 1:
        parser.error("--days must be at least 1")
    if args.tz is not None and parse_time_zone(args.tz) is None:
        parser.error(f"unknown time zone {args.tz!r}")
    return args


def database_url(args: argparse.Namespace) -> str:
    """The SQLAlchemy URL to read from."""
    if args.url:
        return str(args.url)
    return sqlite_url(args.db or Path(os.environ.get("TRACKER_DB") or DEFAULT_DB))


def handoff_url(args: argparse.Namespace) -> str:
    """The SQLAlchemy URL of the handoff database."""
    from clinic_assistant.handoff.database import database_url as configured_handoff_url

    return str(args.handoff_url or configured_handoff_url())


def scope(args: argparse.Namespace) -> str:
    """What the report covers, for its heading."""
    parts = [f"the last {args.days} days" if args.days else "all stored conversations"]
    if args.sender_prefix:
        parts.append(f"senders starting with '{redact(args.sender_prefix)}'")
    return ", ".join(parts)


def encode(texts: List[str]) -> np.ndarray:
    """Sentence embeddings from the project's encoder (loaded on first use)."""
    from clinic_assistant.embeddings.minilm import get_encoder

    return get_encoder().encode(texts)


def write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read (it holds patient messages)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)


def write_report(report: Report, out: Path) -> List[Path]:
    """Write the three files to `out`; return their paths."""
    out.mkdir(parents=True, exist_ok=True, mode=0o700)
    texts = [text for group in report.unanswered for text in group.texts]
    contents = (render_html(report), render_markdown(report), render_nlu_yaml(texts))
    paths = [out / name for name in FILES]
    for path, content in zip(paths, contents):
        write_private(path, content)
    return paths


def main(argv: Optional[List[str]] = None) -> int:
    """Read the tracker store, build the report and write its files."""
    args = parse_args(argv)
    tz: tzinfo = (parse_time_zone(args.tz) if args.tz else None) or clinic_time_zone()
    since = time.time() - args.days * SECONDS_PER_DAY if args.days else None
    try:
        url = database_url(args)
    except FileNotFoundError as error:
        raise SystemExit(f"report: {error}. Pass --db or --url.") from None
    messages = read_user_messages(url, since=since, sender_prefix=args.sender_prefix)
    references = References(key=reference_key(), handoffs=read_handoff_times(handoff_url(args)))
    report = build_report(messages, encode=encode, tz=tz, generated_at=datetime.now(tz),
                          scope=scope(args), references=references)
    paths = write_report(report, args.out)
    print(f"report: {report.totals.conversations} conversations, "
          f"{report.totals.user_messages} user messages, "
          f"{len(report.unanswered)} groups of unanswered questions")
    print("report: wrote " + ", ".join(str(p) for p in paths))
    return 0
