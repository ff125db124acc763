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
# Redis, PostgreSQL and nginx for the lock-store, database and cluster tests (started privately
# by the tests, never as services).
scripts/install_debian.sh redis-server:redis-server pg_ctlcluster:postgresql nginx:nginx
scripts/install_axe.sh || echo "test: axe-core could not be fetched; the accessibility tests will say so"
. scripts/env.sh
status=0
if [ $# -eq 0 ]; then
  echo "test: lint (ruff and mypy; make lint)"
  ruff check actions clinic_assistant benchmarks tests || status=$?
  scripts/typecheck.sh || status=$?
  .venv-console/bin/python -m pytest tests/clinic_assistant/staff_console || status=$?
fi
python -m pytest "$@" || status=$?
if [ $# -eq 0 ]; then
  echo "test: the handoff, retention and conversation-store tests again, on a private PostgreSQL server"
  python -m pytest -q --postgresql tests/clinic_assistant/handoff tests/clinic_assistant/retention \
    tests/clinic_assistant/serving/test_tracker_store.py \
    || status=$?
fi
echo "test: finished in $(( $(date +%s) - start )) s (exit $status)"
exit "$status"
