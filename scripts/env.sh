# Source this file to get the project's environment: `. scripts/env.sh`.
# Reads .env (created by scripts/setup.sh from .env.example) and puts the venv first on PATH.
set -a
# shellcheck disable=SC1091
. ./.env
set +a
: "${DEMO_PORT:=8080}"
: "${STAFF_CONSOLE_PORT:=8090}"
: "${STAFF_CONSOLE_URL:=http://localhost:$STAFF_CONSOLE_PORT/}"
export STAFF_CONSOLE_PORT STAFF_CONSOLE_URL
export PATH="$PWD/.venv/bin:$PATH"
export RASA_TELEMETRY_ENABLED=false
# TensorFlow start-up chatter (CUDA, oneDNN) says nothing useful on a CPU machine.
export TF_CPP_MIN_LOG_LEVEL=2
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
