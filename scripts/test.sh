#!/usr/bin/env bash
# Run the whole test suite: set-up, training (once, if stale), then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
scripts/setup.sh
scripts/train.sh
scripts/install_chromium.sh
# Redis and PostgreSQL for the lock-store and database tests (started privately by the tests,
# never as services).
scripts/install_debian.sh redis-server:redis-server pg_ctlcluster:postgresql
scripts/install_axe.sh || echo "test: axe-core could not be fetched; the accessibility tests will say so"
. scripts/env.sh
status=0
python -m pytest "$@" || status=$?
if [ $# -eq 0 ]; then
  echo "test: the handoff and retention tests again, on a private PostgreSQL server"
  python -m pytest -q --postgresql tests/clinic_assistant/handoff tests/clinic_assistant/retention \
    || status=$?
fi
echo "test: finished in $(( $(date +%s) - start )) s (exit $status)"
exit "$status"
