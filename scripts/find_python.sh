#!/usr/bin/env bash
# Print the path of a suitable Python interpreter, or explain what to install.
#   scripts/find_python.sh            Python 3.8-3.10 for Rasa and the action server (Rasa 3.6
#                                     supports no other)
#   scripts/find_python.sh --console  Python 3.10 or newer for the staff console (.venv-console;
#                                     3.10 first, the version requirements-console.txt is made on)
# Tries $PYTHON, pythonX.Y on PATH, pyenv's versions, then python3.
set -euo pipefail

console=""
if [ "${1:-}" = "--console" ]; then
  console=1
  minors=(10 11 12 13 14)
  check='(3, 10) <= sys.version_info[:2]'
  wanted="Python 3.10 or newer"
  why="The staff console's current libraries (requirements-console.txt) need it."
else
  minors=(10 9 8)
  check='(3, 8) <= sys.version_info[:2] <= (3, 10)'
  wanted="Python 3.8, 3.9 or 3.10"
  why="Rasa 3.6 does not run on newer Pythons."
fi

suitable() {
  "$1" -c "import sys, venv; sys.exit(0 if $check else 1)" >/dev/null 2>&1
}

pyenv_root="${PYENV_ROOT:-}"
if [ -z "$pyenv_root" ] && command -v pyenv >/dev/null 2>&1; then pyenv_root="$(pyenv root)"; fi
[ -z "$pyenv_root" ] && pyenv_root="$HOME/.pyenv"
pyenv_versions() {
  ls -d "$pyenv_root"/versions/3."$1".* 2>/dev/null | sort -rV | sed 's|$|/bin/python|'
}

candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
if [ -n "$console" ]; then
  # One minor version at a time (PATH, then pyenv), so that 3.10 wins over a newer one on PATH.
  for minor in "${minors[@]}"; do
    candidates+=("python3.$minor")
    while read -r python; do candidates+=("$python"); done < <(pyenv_versions "$minor")
  done
else
  for minor in "${minors[@]}"; do candidates+=("python3.$minor"); done
  for minor in "${minors[@]}"; do
    while read -r python; do candidates+=("$python"); done < <(pyenv_versions "$minor")
  done
fi
candidates+=(python3 python)

for candidate in "${candidates[@]}"; do
  path="$(command -v "$candidate" 2>/dev/null || true)"
  if [ -n "$path" ] && suitable "$path"; then
    echo "$path"
    exit 0
  fi
done

cat >&2 <<MSG
error: no $wanted found. $why
Install Python 3.10, then run the command again. For example:
  pyenv install 3.10.13                      (with pyenv)
  apt-get install python3.10 python3.10-venv (Debian/Ubuntu, where packaged)
  brew install python@3.10                   (macOS)
Or point PYTHON at one: PYTHON=/path/to/python3.10 make run
MSG
exit 1
