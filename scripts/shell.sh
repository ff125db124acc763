#!/usr/bin/env bash
# Talk to the assistant in the terminal (`rasa shell`), with the action server in the background.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/train.sh
. scripts/env.sh
eval "$(python -m clinic_assistant.serving.threads)"
rasa run actions --actions actions --port "$ACTION_PORT" >var/log/actions.log 2>&1 &
trap 'kill $! 2>/dev/null || true' EXIT
rasa shell --model models --endpoints endpoints.yml --port "$RASA_PORT" "$@"
