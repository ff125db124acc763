#!/usr/bin/env bash
# The fast tests (make unit): no training, no Rasa servers, no browser. Three pytest processes
# share the two cores: the staff console's tests (.venv-console; they mostly wait, each failed
# sign-in is answered after half a second), the stores and servers' tests (handoff, retention,
# privacy, channels, serving: much of it waits on databases and Redis) and all the others, which
# compute. The two smaller runs' output follows the main one's, each in one piece (also in
# var/log/unit-*.log). Arguments go to both .venv runs, e.g. scripts/unit.sh -x --durations=20.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
mkdir -p var/log
marks="not e2e and not slow"
stores=(tests/clinic_assistant/handoff tests/clinic_assistant/retention
        tests/clinic_assistant/privacy tests/clinic_assistant/channels
        tests/clinic_assistant/serving)
start=$(date +%s)
.venv-console/bin/python -m pytest -q -p no:cacheprovider -m "$marks" \
  tests/clinic_assistant/staff_console >var/log/unit-console.log 2>&1 &
console=$!
python -m pytest -q -p no:cacheprovider -m "$marks" "$@" "${stores[@]}" \
  >var/log/unit-stores.log 2>&1 &
stores_run=$!
trap 'kill "$console" "$stores_run" 2>/dev/null' INT TERM
ignored=()
for folder in "${stores[@]}"; do ignored+=("--ignore=$folder"); done
python -m pytest -q -m "$marks" "${ignored[@]}" "$@"
status=$?
wait "$stores_run"
stores_status=$?
wait "$console"
console_status=$?
echo "unit: the stores' and servers' tests (${stores[*]#tests/clinic_assistant/}):"
cat var/log/unit-stores.log
echo "unit: the staff console's tests (.venv-console):"
cat var/log/unit-console.log
for other in "$stores_status" "$console_status"; do
  if [ "$status" -eq 0 ]; then status=$other; fi
done
echo "unit: finished in $(( $(date +%s) - start )) s (exit $status)"
exit "$status"
