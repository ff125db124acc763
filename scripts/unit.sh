#!/usr/bin/env bash
# The fast tests (make unit): no training, no Rasa servers, no browser. The staff console's tests
# (.venv-console) run next to the others (.venv), one process per core: the console's mostly wait
# (each failed sign-in is answered after half a second), while the others compute. The console's
# output follows the others', in one piece (also in var/log/unit-console.log). Arguments go to
# the .venv run, e.g. scripts/unit.sh -x --durations=20.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
mkdir -p var/log
log=var/log/unit-console.log
start=$(date +%s)
.venv-console/bin/python -m pytest -q -p no:cacheprovider -m "not e2e and not slow" \
  tests/clinic_assistant/staff_console >"$log" 2>&1 &
console=$!
trap 'kill "$console" 2>/dev/null' INT TERM
python -m pytest -q -m "not e2e and not slow" "$@"
status=$?
wait "$console"
console_status=$?
echo "unit: the staff console's tests (.venv-console):"
cat "$log"
if [ "$status" -eq 0 ]; then status=$console_status; fi
echo "unit: finished in $(( $(date +%s) - start )) s (exit $status)"
exit "$status"
