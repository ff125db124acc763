#!/usr/bin/env bash
# Train the model if it is missing or stale. The training log goes to var/log/train.log; Rasa's
# progress bars are too big for a terminal.
#
# Stale means: the training inputs (domain, config, data, the spaCy pipeline, the code of the
# NLU components and encoders) differ from those
# the newest model was trained on, recorded in models/.trained-inputs. `rasa train --dry-run`
# is not enough on its own: it compares with Rasa's component cache, not with the model, and
# answers "nothing to train" after a domain-only change (a new action, a removed one), leaving
# a model with the old domain. `rasa train` itself reuses every cached component, so a
# domain-only change retrains in seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
mkdir -p var/log models
stamp=models/.trained-inputs

inputs_hash() {
  find domain.yml config.yml data build/spacy clinic_assistant/nlu clinic_assistant/embeddings -type f ! -name "*.pyc" -print0 | LC_ALL=C sort -z \
    | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
}

latest=$(ls -t models/*.tar.gz 2>/dev/null | head -n 1 || true)
wanted="$(inputs_hash)"
if [ -n "$latest" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted $(basename "$latest")" ]; then
  echo "train: the model in models/ is up to date ($(basename "$latest"))"
  exit 0
fi
echo "train: training the model (log: var/log/train.log; about 90 s the first time, under 30 s after a change)"
start=$(date +%s)
if ! rasa train --out models >var/log/train.log 2>&1; then
  grep -v -E 'Epochs:|it/s\]' var/log/train.log | tail -n 30 >&2
  echo "train: training failed, see var/log/train.log" >&2
  exit 1
fi
latest=$(ls -t models/*.tar.gz | head -n 1)
echo "$wanted $(basename "$latest")" >"$stamp"
echo "train: done in $(( $(date +%s) - start )) s: $latest"
