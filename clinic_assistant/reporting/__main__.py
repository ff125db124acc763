"""python -m clinic_assistant.reporting: see clinic_assistant/reporting/cli.py."""

from clinic_assistant.reporting.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
