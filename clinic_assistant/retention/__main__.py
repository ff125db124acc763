"""python -m clinic_assistant.retention purge | export | erase (see cli.py)."""

from clinic_assistant.retention.cli import main

raise SystemExit(main())
