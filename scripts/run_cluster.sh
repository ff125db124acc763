#!/usr/bin/env bash
# Set up, train if needed, and run the assistant as a cluster on this machine: PostgreSQL,
# Redis, REPLICAS (default 2) Rasa and action servers, CONSOLES (default 2) staff console
# instances and the demo page behind nginx, all on loopback (clinic_assistant/stack/cluster.py,
# docs/deploy.md). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/train.sh
scripts/install_services.sh
. scripts/env.sh
exec python -m clinic_assistant.stack cluster --replicas "${REPLICAS:-2}" --consoles "${CONSOLES:-2}"
