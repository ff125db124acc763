#!/usr/bin/env bash
# Set up everything the assistant needs, idempotently: the virtual environment with the pinned
# dependencies, the .env file with a fresh API token, and the project's spaCy pipeline.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var/log

venv=.venv
stamp="$venv/.requirements.sha256"
if [ -x "$venv/bin/python" ] && ! PYTHON="$venv/bin/python" scripts/find_python.sh >/dev/null 2>&1; then
  echo "setup: $venv uses an unsupported Python; recreating it"
  rm -rf "$venv"
fi
if [ ! -x "$venv/bin/python" ]; then
  python="$(scripts/find_python.sh)"
  echo "setup: creating $venv with $python ($("$python" --version 2>&1))"
  "$python" -m venv "$venv"
fi
if ! sha256sum --status -c "$stamp" 2>/dev/null; then
  echo "setup: installing pinned dependencies (log: var/log/pip.log; takes a few minutes)"
  if ! { "$venv/bin/python" -m pip install -r requirements.txt \
         && "$venv/bin/python" -m pip install --no-deps -r requirements-nodeps.txt; } \
       >var/log/pip.log 2>&1; then
    tail -n 30 var/log/pip.log >&2
    echo "setup: pip install failed, see var/log/pip.log" >&2
    exit 1
  fi
  sha256sum requirements.txt requirements-nodeps.txt >"$stamp"
fi

if [ ! -f .env ]; then
  token="$("$venv/bin/python" -c 'import secrets; print(secrets.token_hex(32))')"
  sed "s|^RASA_AUTH_TOKEN=.*|RASA_AUTH_TOKEN=$token|" .env.example >.env
  echo "setup: wrote .env with a new API token"
fi
# The staff report's key for short conversation references (clinic_assistant/reporting/references.py).
if ! grep -q '^REPORT_REFERENCE_KEY=.' .env; then
  key="$("$venv/bin/python" -c 'import secrets; print(secrets.token_hex(32))')"
  if grep -q '^REPORT_REFERENCE_KEY=' .env; then
    sed -i "s|^REPORT_REFERENCE_KEY=.*|REPORT_REFERENCE_KEY=$key|" .env
  else
    printf '# Key of the staff report'"'"'s short conversation references (make report).\nREPORT_REFERENCE_KEY=%s\n' "$key" >>.env
  fi
  echo "setup: added a report reference key to .env"
fi

spacy_dir="$("$venv/bin/python" -c 'from clinic_assistant.spacy_pipeline.version import PIPELINE_DIR; print(PIPELINE_DIR)')"
if [ ! -f "$spacy_dir/meta.json" ]; then
  "$venv/bin/python" -m clinic_assistant.spacy_pipeline.build >var/log/spacy.log 2>&1 \
    || { cat var/log/spacy.log >&2; exit 1; }
  echo "setup: built the spaCy pipeline in $spacy_dir"
fi
