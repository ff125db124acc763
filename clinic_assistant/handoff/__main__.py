"""`python -m clinic_assistant.handoff`: see clinic_assistant/handoff/cli.py."""

import sys

from clinic_assistant.handoff.cli import main

sys.exit(main())
