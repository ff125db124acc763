#!/usr/bin/env bash
# Set up, train if needed, and run the assistant: the action server, the Rasa server, the demo
# clinic page and the staff console, with conversations in var/tracker.db and handoffs in
# var/handoff.db (SQLite), through the project's one launcher (clinic_assistant/stack). Ctrl-C
# stops them all.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/train.sh
. scripts/env.sh
exec python -m clinic_assistant.stack run
