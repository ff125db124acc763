"""Retention and erasure from the command line (docs/security.md#retention-and-erasure).

    python -m clinic_assistant.retention purge                      # daily (cron): make purge
    python -m clinic_assistant.retention export --handoff 12 --out patient.json
    python -m clinic_assistant.retention erase --reference CB-7K3QX

A conversation is named by --conversation (Rasa's sender id), --handoff (the number staff see)
or --reference (a call-back reference). While the Rasa server runs, deleting conversations goes
through it (clinic_assistant/channels/privacy.py); when it is stopped, the files are changed
directly. The staff audit trail is never touched.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

from clinic_assistant.content import get_content
from clinic_assistant.handoff.database import database_url
from clinic_assistant.handoff.records import utc_now
from clinic_assistant.handoff.retention import HandoffRetention
from clinic_assistant.handoff.rules import load_handoff_rules
from clinic_assistant.handoff.store import HandoffStore
from clinic_assistant.retention import erasure, server, tracker_events
from clinic_assistant.settings import PROJECT_ROOT, get_settings

SECONDS_PER_DAY = 86400


def _identifier(args: argparse.Namespace) -> erasure.Identifier:
    if args.handoff is not None:
        return erasure.Identifier(handoff_number=args.handoff)
    if args.reference is not None:
        return erasure.Identifier.from_json({"reference": args.reference})
    return erasure.Identifier(conversation_id=args.conversation)


def _erase_ids(args: argparse.Namespace, ids: List[str]) -> Dict[str, Any]:
    """Erase through the running server if there is one, else in the files directly."""
    total: Dict[str, Any] = {"conversations": 0, "events": 0, "handoffs": 0, "callbacks": 0,
                             "references": []}
    for start in range(0, len(ids), 500):
        batch = ids[start:start + 500]
        report = server.call(args.rasa_url, "erase", {"conversation_ids": batch})
        if report is None:
            engine = (tracker_events.sqlite_engine(args.tracker_db)
                      if args.tracker_db.is_file() else None)
            report = erasure.erase(engine, HandoffRetention(args.store.session_factory), batch)
            args.offline = True
        for key in ("conversations", "events", "handoffs", "callbacks"):
            total[key] += report[key]
        total["references"] += report["references"]
    return total


def purge(args: argparse.Namespace) -> int:
    """Delete what is older than the retention periods in content/handoff.yml."""
    rules = load_handoff_rules(get_settings().content_dir, get_content().clinic.time_zone)
    now = utc_now()
    handoffs_db = HandoffRetention(args.store.session_factory)
    conversations = tracker_events.expired_conversations(
        tracker_events.sqlite_engine(args.tracker_db),
        time.time() - rules.conversation_retention_days * SECONDS_PER_DAY
    ) if args.tracker_db.is_file() else []
    with_callbacks = handoffs_db.expired_callback_conversations(now, rules.callback_retention_days)
    report = _erase_ids(args, sorted(set(conversations) | set(with_callbacks)))
    handoffs = handoffs_db.purge_handoffs(now, rules.handoff_retention_days)
    callbacks = args.store.purge_callbacks(now, rules.callback_retention_days)
    # Daily, whatever was deleted: rebuilt files hold no copy of text erased since the last
    # rebuild (a refused call-back form's rewritten details, an erasure that found them busy).
    handoffs_db.rebuild()
    if args.tracker_db.is_file():
        tracker_events.rebuild(tracker_events.sqlite_engine(args.tracker_db))
    print(f"purge: {report['conversations']} conversation(s) older than "
          f"{rules.conversation_retention_days} days or with a call-back request older than "
          f"{rules.callback_retention_days} days ({erasure.summary(report)}); "
          f"{handoffs} handoff record(s) older than {rules.handoff_retention_days} days; "
          f"{callbacks} call-back request(s) older than {rules.callback_retention_days} days. "
          "The staff audit trail is kept.")
    return 0


def export(args: argparse.Namespace) -> int:
    """Write one conversation as JSON (it holds patient data: handle it like a record)."""
    identifier = _identifier(args)
    handoffs = HandoffRetention(args.store.session_factory)
    try:
        conversation_id = erasure.resolve(identifier, handoffs)
        data = erasure.export(tracker_events.sqlite_engine(args.tracker_db), handoffs,
                              conversation_id)
    except erasure.NotFound:
        print(f"export: nothing is stored for {identifier.describe()}.", file=sys.stderr)
        return 1
    except FileNotFoundError as error:
        print(f"export: {error}.", file=sys.stderr)
        return 1
    text = json.dumps(data, indent=2, ensure_ascii=False)
    if args.out is None:
        print(text)
        return 0
    descriptor = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text + "\n")
    print(f"export: {identifier.describe()}: {len(data['events'])} event(s) and "
          f"{len(data['handoffs'])} handoff record(s) written to {args.out} (patient data).",
          file=sys.stderr)
    return 0


def erase(args: argparse.Namespace) -> int:
    """Delete one conversation everywhere (asks first unless --yes)."""
    identifier = _identifier(args)
    try:
        conversation_id = erasure.resolve(identifier, HandoffRetention(args.store.session_factory))
    except erasure.NotFound as error:
        print(f"erase: {error}; nothing was deleted.", file=sys.stderr)
        return 1
    if not args.yes:
        answer = input(f"Erase {identifier.describe()}: every message, its handoff and call-back "
                       "records? This cannot be undone. Type 'erase' to go on: ")
        if answer.strip().lower() != "erase":
            print("erase: nothing was deleted.")
            return 1
    report = _erase_ids(args, [conversation_id])
    if not report["events"] and not report["handoffs"]:
        print(f"erase: nothing is stored for {identifier.describe()}; nothing was deleted.",
              file=sys.stderr)
        return 1
    where = "in the files (no Rasa server running)" if args.offline else "by the Rasa server"
    print(f"erase: {identifier.describe()}: deleted {erasure.summary(report)} {where}. "
          "The staff audit trail is kept.")
    reports = PROJECT_ROOT / "reports"
    if reports.is_dir() and any(reports.iterdir()):
        print("erase: reports written earlier (reports/) may still quote this conversation: "
              "run `make report` again (it reads only what is stored) or delete them.")
    return 0


def _name_options(command: argparse.ArgumentParser) -> None:
    which = command.add_mutually_exclusive_group(required=True)
    which.add_argument("--conversation", help="Rasa's conversation (sender) id")
    which.add_argument("--handoff", type=int, help="handoff number, as the console shows it")
    which.add_argument("--reference", help="call-back reference, e.g. CB-7K3QX")


def main(argv: Optional[List[str]] = None) -> int:
    """Parse the command line and run one command."""
    parser = argparse.ArgumentParser(prog="python -m clinic_assistant.retention",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=None, help="handoff database URL (default: HANDOFF_DB_URL)")
    parser.add_argument("--tracker-db", type=Path, default=None,
                        help="conversation store SQLite file (default: TRACKER_DB)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("purge", help="delete what is older than the retention periods"
                        ).set_defaults(run=purge)
    out = commands.add_parser("export", help="one conversation as JSON")
    _name_options(out)
    out.add_argument("--out", type=Path, default=None, help="file to write (default: print)")
    out.set_defaults(run=export)
    gone = commands.add_parser("erase", help="delete one conversation everywhere")
    _name_options(gone)
    gone.add_argument("--yes", action="store_true", help="do not ask first (scripts)")
    gone.set_defaults(run=erase)
    args = parser.parse_args(argv)
    settings = get_settings()
    args.tracker_db = args.tracker_db or settings.tracker_db
    args.rasa_url = settings.rasa_url
    args.store = HandoffStore.from_url(args.db or database_url())
    args.offline = False
    try:
        return int(args.run(args))
    except server.ServerError as error:
        print(f"{args.command}: the Rasa server refused: {error}. Nothing more was deleted.",
              file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"{args.command}: {error}", file=sys.stderr)
        return 2
