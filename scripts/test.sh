#!/usr/bin/env bash
# Run the whole test suite: set-up, training (once, if stale), then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
scripts/setup.sh
scripts/train.sh
scripts/install_chromium.sh
# Redis for the lock-store tests (started privately by the tests, never as a service).
scripts/install_debian.sh redis-server:redis-server
scripts/install_axe.sh || echo "test: axe-core could not be fetched; the accessibility tests will say so"
. scripts/env.sh
status=0
python -m pytest "$@" || status=$?
echo "test: finished in $(( $(date +%s) - start )) s (exit $status)"
exit "$status"
