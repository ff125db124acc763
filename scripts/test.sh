#!/usr/bin/env bash
# Run the whole test suite in tiers, the fast ones first: lint (ruff and mypy), the unit tier
# (make unit: no training, no servers, no browser; the staff console's tests in its own
# environment, .venv-console), then training (once, if stale) and the slow and end-to-end tests
# (real Rasa and action servers, the browser, the cluster), then the stores' tests again on
# PostgreSQL. With arguments, only `python -m pytest ARGS` in .venv (after set-up and training).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
mkdir -p var/log
# Redis, PostgreSQL and nginx for the lock-store, database and cluster tests (started privately
# by the tests, never as services) and chromium for the browser tests: Debian's packages install
# in the background while set-up installs the Python ones (about a minute saved on a fresh
# machine); their output is shown once both are done.
{ scripts/install_services.sh && scripts/install_chromium.sh; } >var/log/install-debian.log 2>&1 &
debian=$!
# If set-up fails, wait for the installs anyway (never cut one short), show their log and keep
# set-up's exit status.
trap 'rc=$?; wait "$debian" 2>/dev/null || true; cat var/log/install-debian.log; exit $rc' EXIT
scripts/setup.sh
debian_status=0
wait "$debian" || debian_status=$?
trap - EXIT
cat var/log/install-debian.log
[ "$debian_status" -eq 0 ] || exit "$debian_status"
. scripts/env.sh
status=0
if [ $# -eq 0 ]; then
  echo "test: lint (ruff and mypy; make lint)"
  ruff check actions clinic_assistant benchmarks tests || status=$?
  # mypy uses one core; the unit tier mostly waits (sign-in pauses, databases), so mypy runs
  # beside it and its output follows the unit tier's.
  scripts/typecheck.sh >var/log/typecheck.log 2>&1 &
  typecheck=$!
  trap 'kill "$typecheck" 2>/dev/null' INT TERM
  echo "test: the unit tier (make unit)"
  scripts/unit.sh || status=$?
  typecheck_status=0
  wait "$typecheck" || typecheck_status=$?
  echo "test: mypy (scripts/typecheck.sh):"
  cat var/log/typecheck.log
  trap - INT TERM
  [ "$typecheck_status" -eq 0 ] || status=$typecheck_status
fi
scripts/train.sh
scripts/install_axe.sh || echo "test: axe-core could not be fetched; the accessibility tests will say so"
if [ $# -eq 0 ]; then
  echo "test: the slow and end-to-end tiers"
  python -m pytest -m "e2e or slow" || status=$?
  echo "test: the handoff, retention and conversation-store tests again, on a private PostgreSQL server"
  python -m pytest -q --postgresql tests/clinic_assistant/handoff tests/clinic_assistant/retention \
    tests/clinic_assistant/serving/test_tracker_store.py \
    || status=$?
else
  python -m pytest "$@" || status=$?
fi
echo "test: finished in $(( $(date +%s) - start )) s (exit $status)"
exit "$status"
