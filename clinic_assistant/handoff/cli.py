"""Staff accounts, data retention and the audit trail from the command line.

python -m clinic_assistant.handoff add-staff anna --name "Anna (nurse)"   # asks for a password
python -m clinic_assistant.handoff add-staff anna --totp                  # ... and a TOTP code
python -m clinic_assistant.handoff purge-callbacks      # call-back rows only (daily: make purge)
python -m clinic_assistant.handoff audit --since 2026-11-01 --until 2026-12-01
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from typing import List, Optional

from clinic_assistant.content import get_content
from clinic_assistant.handoff import totp
from clinic_assistant.handoff.audit import AuditLog
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


def _print_enrolment(username: str, secret: str) -> None:
    """Show the new TOTP secret once: it is not shown again (enrol again to replace it)."""
    issuer = f"{get_content().clinic.clinic_name} staff console"
    print(f"add-staff: {username} now also needs a 6-digit code from an authenticator app.\n"
          "Add this account to the app (shown only now; keep it private):\n"
          f"  key (type it in):   {' '.join(secret[i:i + 4] for i in range(0, len(secret), 4))}\n"
          f"  address (or paste): {totp.otpauth_uri(secret, username, issuer)}")


def add_staff(args: argparse.Namespace) -> int:
    """Create or reset a staff account; enrol or remove its second factor."""
    store = HandoffStore.from_url(args.db)
    second_factor = args.totp or (not args.no_totp and store.has_second_factor(args.username))
    password = _read_password(args.password_stdin)
    problem = password_problem(password, second_factor)
    if problem:
        print(f"add-staff: that password is too weak: {problem}. Nothing was changed.",
              file=sys.stderr)
        return 2
    secret = totp.new_secret() if args.totp else None
    existed = store.add_staff(args.username, args.name or args.username, password,
                              totp_secret=secret, remove_totp=args.no_totp)
    print(f"add-staff: {args.username} can now sign in to the staff console"
          + (" (signed out of every open session)." if existed else "."))
    if secret:
        _print_enrolment(args.username, secret)
    return 0


def _day(text: str) -> dt.datetime:
    try:
        return dt.datetime.strptime(text, "%Y-%m-%d")
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-01") from error


def audit(args: argparse.Namespace) -> int:
    """Print the audit trail from --since (inclusive) to --until (exclusive), UTC days."""
    until = args.until or (utc_now() + dt.timedelta(days=1)).replace(
        hour=0, minute=0, second=0, microsecond=0)
    since = args.since or until - dt.timedelta(days=30)
    lines = AuditLog(HandoffStore.from_url(args.db).session_factory).entries(since, until)
    print(f"audit: {len(lines)} entries from {since:%Y-%m-%d} to {until:%Y-%m-%d} "
          "(UTC, the end day excluded)")
    if lines:
        print(f"{'when (UTC)':<20}  {'address':<15}  {'who':<20}  {'action':<16}  "
              f"{'record':<7}  outcome")
    for line in lines:
        print(line.as_text())
    return 0


def purge_callbacks(args: argparse.Namespace) -> int:
    """Delete call-back requests older than the retention period in content/handoff.yml."""
    days = args.days
    if days is None:
        try:
            days = load_handoff_rules(get_settings().content_dir,
                                      get_content().clinic.time_zone).callback_retention_days
        except ValueError as error:  # ContentError, HandoffRulesError: the file and the fix
            print(f"purge-callbacks: {str(error).rstrip('.')}. Nothing was deleted; fix the "
                  "file (make validate checks it) or pass --days.", file=sys.stderr)
            return 2
    deleted = HandoffStore.from_url(args.db).purge_callbacks(utc_now(), days)
    print(f"purge-callbacks: deleted {deleted} call-back request(s) older than {days} days.")
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    """Parse the command line and run one command."""
    parser = argparse.ArgumentParser(prog="python -m clinic_assistant.handoff",
                                     description="Staff accounts, call-back retention and "
                                                 "the audit trail.")
    parser.add_argument("--db", default=None, help="database URL (default: HANDOFF_DB_URL)")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add-staff", help="create a staff account or reset its password")
    add.add_argument("username")
    add.add_argument("--name", help="name patients see, e.g. 'Anna (nurse)'")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from standard input (scripts)")
    factor = add.add_mutually_exclusive_group()
    factor.add_argument("--totp", action="store_true",
                        help="also ask for a code from an authenticator app (prints its key once)")
    factor.add_argument("--no-totp", action="store_true", help="remove the second factor")
    add.set_defaults(run=add_staff)
    purge = commands.add_parser("purge-callbacks", help="delete expired call-back requests")
    purge.add_argument("--days", type=int, default=None,
                       help="override callback_retention_days from content/handoff.yml")
    purge.set_defaults(run=purge_callbacks)
    trail = commands.add_parser("audit", help="print the audit trail of console actions")
    trail.add_argument("--since", type=_day, default=None,
                       help="first day, e.g. 2026-11-01 (default: 30 days before --until)")
    trail.add_argument("--until", type=_day, default=None,
                       help="day after the last, e.g. 2026-12-01 (default: tomorrow)")
    trail.set_defaults(run=audit)
    args = parser.parse_args(argv)
    args.db = args.db or database_url()
    return int(args.run(args))
