#!/usr/bin/env bash
# Set up, train if needed, and run the assistant: the action server, the Rasa server, the demo
# clinic page and the staff console, with conversations in var/tracker.db and handoffs in
# var/handoff.db (SQLite). Ctrl-C stops them all.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/train.sh
. scripts/env.sh
# One computation thread per numeric library while serving (clinic_assistant/serving/threads.py).
eval "$(python -m clinic_assistant.serving.threads)"

rasa run actions --actions actions --port "$ACTION_PORT" >var/log/actions.log 2>&1 &
actions_pid=$!
trap 'kill "$actions_pid" 2>/dev/null || true' EXIT

# shellcheck disable=SC2086  # CORS_ORIGINS is a space-separated list
# `rasa run` through the project's launcher: it reads the API token from RASA_AUTH_TOKEN
# (.env), so the token is not on the command line (`ps` shows command lines to every user).
python -m clinic_assistant.serving.rasa_server --model models --endpoints endpoints.yml \
  --credentials credentials.yml --interface "$RASA_HOST" --port "$RASA_PORT" \
  --enable-api --cors $CORS_ORIGINS \
  >var/log/rasa.log 2>&1 &
rasa_pid=$!
trap 'kill "$rasa_pid" "$actions_pid" 2>/dev/null || true' EXIT INT TERM

python -m clinic_assistant.web.demo_server --port "$DEMO_PORT" \
  --server-url "http://$RASA_HOST:$RASA_PORT" >var/log/demo.log 2>&1 &
demo_pid=$!
trap 'kill "$rasa_pid" "$actions_pid" "$demo_pid" 2>/dev/null || true' EXIT INT TERM

# The staff console in its own environment (.venv-console: current aiohttp, no Rasa; setup.sh).
.venv-console/bin/python -m clinic_assistant.staff_console --port "$STAFF_CONSOLE_PORT" \
  >var/log/console.log 2>&1 &
console_pid=$!
trap 'kill "$rasa_pid" "$actions_pid" "$demo_pid" "$console_pid" 2>/dev/null || true' EXIT INT TERM

echo "run: starting (logs: var/log/rasa.log, var/log/actions.log) ..."
for _ in $(seq 1 180); do
  if curl -fs "http://$RASA_HOST:$RASA_PORT/webhooks/rest/" >/dev/null 2>&1; then break; fi
  kill -0 "$rasa_pid" 2>/dev/null || { tail -n 30 var/log/rasa.log >&2; exit 1; }
  sleep 1
done
cat <<MSG

The clinic assistant is running.
  Demo clinic page with the chat widget:  http://localhost:$DEMO_PORT/
  Chat over REST:  curl -s -X POST http://$RASA_HOST:$RASA_PORT/webhooks/rest/webhook \\
                     -H 'Content-Type: application/json' \\
                     -d '{"sender": "me", "message": "what is a herniated disc?"}'
  Staff console:   http://localhost:$STAFF_CONSOLE_PORT/  (first create an account:
                     make staff-account ARGS='anna --name "Anna (nurse)"')
  HTTP API:        http://$RASA_HOST:$RASA_PORT (token in .env as RASA_AUTH_TOKEN, pass ?token=...)
  In a terminal:   stop this (Ctrl-C), then run: make shell
Conversations are stored in $TRACKER_DB. Press Ctrl-C to stop.
MSG
wait "$rasa_pid"
