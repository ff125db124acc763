#!/usr/bin/env bash
# Run the whole test suite: set-up, training (once, if stale), then pytest: the staff console's
# tests in the console's own environment (.venv-console), everything else in .venv. With
# arguments, only `python -m pytest ARGS` in .venv.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
scripts/setup.sh
scripts/train.sh
scripts/install_chromium.sh
. scripts/env.sh
status=0
if [ $# -eq 0 ]; then
  .venv-console/bin/python -m pytest tests/clinic_assistant/staff_console || status=$?
fi
python -m pytest "$@" || status=$?
echo "test: finished in $(( $(date +%s) - start )) s (exit $status)"
exit "$status"
