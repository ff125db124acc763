#!/usr/bin/env bash
# Print the path of a Python 3.8-3.10 interpreter (Rasa 3.6 supports no other), or explain
# what to install. Tries $PYTHON, python3.10/3.9/3.8 on PATH, pyenv's versions, then python3.
set -euo pipefail

suitable() {
  "$1" -c 'import sys, venv; sys.exit(0 if (3, 8) <= sys.version_info[:2] <= (3, 10) else 1)' \
    >/dev/null 2>&1
}

candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
candidates+=(python3.10 python3.9 python3.8)
pyenv_root="${PYENV_ROOT:-}"
if [ -z "$pyenv_root" ] && command -v pyenv >/dev/null 2>&1; then pyenv_root="$(pyenv root)"; fi
[ -z "$pyenv_root" ] && pyenv_root="$HOME/.pyenv"
for minor in 10 9 8; do
  for dir in $(ls -d "$pyenv_root"/versions/3."$minor".* 2>/dev/null | sort -rV); do
    candidates+=("$dir/bin/python")
  done
done
candidates+=(python3 python)

for candidate in "${candidates[@]}"; do
  path="$(command -v "$candidate" 2>/dev/null || true)"
  if [ -n "$path" ] && suitable "$path"; then
    echo "$path"
    exit 0
  fi
done

cat >&2 <<'MSG'
error: no Python 3.8, 3.9 or 3.10 found. Rasa 3.6 does not run on newer Pythons.
Install Python 3.10, then run the command again. For example:
  pyenv install 3.10.13                      (with pyenv)
  apt-get install python3.10 python3.10-venv (Debian/Ubuntu, where packaged)
  brew install python@3.10                   (macOS)
Or point PYTHON at one: PYTHON=/path/to/python3.10 make run
MSG
exit 1
