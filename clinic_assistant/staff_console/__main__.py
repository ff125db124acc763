"""Run the staff console: `python -m clinic_assistant.staff_console --port 8090`."""

from __future__ import annotations

import argparse
import logging

from aiohttp import web

from clinic_assistant.content import ContentError
from clinic_assistant.handoff.rules import HandoffRulesError
from clinic_assistant.staff_console.app import create_app
from clinic_assistant.staff_console.settings import console_settings_from_env


def main() -> None:
    """Serve the console on loopback (put it behind HTTPS before exposing it)."""
    parser = argparse.ArgumentParser(description="The clinic staff console.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        app = create_app(console_settings_from_env())
    except (ContentError, HandoffRulesError) as error:  # a content file it cannot use
        raise SystemExit(f"staff console: {str(error).rstrip('.')}. Fix the file (make "
                         "validate checks it), then start the console again.") from None
    # No access log: request paths carry no patient data, but keep logs minimal anyway.
    web.run_app(app, host=args.host, port=args.port, access_log=None,
                print=lambda text: print(text.splitlines()[0], flush=True))


if __name__ == "__main__":
    main()
