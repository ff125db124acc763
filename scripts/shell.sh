#!/usr/bin/env bash
# Talk to the assistant in the terminal (`rasa shell`), with the action server in the background,
# through the project's one launcher (clinic_assistant/stack).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/train.sh
. scripts/env.sh
exec python -m clinic_assistant.stack shell "$@"
