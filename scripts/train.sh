#!/usr/bin/env bash
# Train the model if it is missing or stale (Rasa compares fingerprints and skips otherwise).
# The training log goes to var/log/train.log; Rasa's progress bars are too big for a terminal.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
mkdir -p var/log models
if rasa train --dry-run --out models >var/log/train-check.log 2>&1; then
  echo "train: the model in models/ is up to date"
  exit 0
fi
echo "train: training the model (log: var/log/train.log; about 5 minutes on 2 cores)"
start=$(date +%s)
if ! rasa train --out models >var/log/train.log 2>&1; then
  grep -v -E 'Epochs:|it/s\]' var/log/train.log | tail -n 30 >&2
  echo "train: training failed, see var/log/train.log" >&2
  exit 1
fi
echo "train: done in $(( $(date +%s) - start )) s: $(ls -t models/*.tar.gz | head -n 1)"
