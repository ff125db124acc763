"""Staff accounts and data retention from the command line.

    python -m clinic_assistant.handoff add-staff anna --name "Anna (nurse)"   # asks for a password
    python -m clinic_assistant.handoff purge-callbacks                          # run daily (cron)
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import List, Optional

from clinic_assistant.content import get_content
from clinic_assistant.handoff.database import database_url
from clinic_assistant.handoff.passwords import password_problem
from clinic_assistant.handoff.records import utc_now
from clinic_assistant.handoff.rules import load_handoff_rules
from clinic_assistant.handoff.store import HandoffStore
from clinic_assistant.settings import get_settings


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password for the new account: ")
    if getpass.getpass("Same password again: ") != first:
        raise SystemExit("add-staff: the two passwords differ; nothing was changed.")
    return first


def add_staff(args: argparse.Namespace) -> int:
    """Create or reset a staff account."""
    password = _read_password(args.password_stdin)
    problem = password_problem(password)
    if problem:
        print(f"add-staff: that password is too weak: {problem}. Nothing was changed.",
              file=sys.stderr)
        return 2
    HandoffStore.from_url(args.db).add_staff(args.username, args.name or args.username, password)
    print(f"add-staff: {args.username} can now sign in to the staff console.")
    return 0


def purge_callbacks(args: argparse.Namespace) -> int:
    """Delete call-back requests older than the retention period in content/handoff.yml."""
    days = args.days
    if days is None:
        days = load_handoff_rules(get_settings().content_dir,
                                  get_content().clinic.time_zone).callback_retention_days
    deleted = HandoffStore.from_url(args.db).purge_callbacks(utc_now(), days)
    print(f"purge-callbacks: deleted {deleted} call-back request(s) older than {days} days.")
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    """Parse the command line and run one command."""
    parser = argparse.ArgumentParser(prog="python -m clinic_assistant.handoff",
                                     description="Staff accounts and call-back retention.")
    parser.add_argument("--db", default=None, help="database URL (default: HANDOFF_DB_URL)")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add-staff", help="create a staff account or reset its password")
    add.add_argument("username")
    add.add_argument("--name", help="name patients see, e.g. 'Anna (nurse)'")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from standard input (scripts)")
    add.set_defaults(run=add_staff)
    purge = commands.add_parser("purge-callbacks", help="delete expired call-back requests")
    purge.add_argument("--days", type=int, default=None,
                       help="override callback_retention_days from content/handoff.yml")
    purge.set_defaults(run=purge_callbacks)
    args = parser.parse_args(argv)
    args.db = args.db or database_url()
    return int(args.run(args))
