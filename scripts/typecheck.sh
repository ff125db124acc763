#!/usr/bin/env bash
# Type-check actions/ and clinic_assistant/ with mypy (make lint, scripts/test.sh; settings and
# why there are two runs: pyproject.toml's [tool.mypy]). Exits non-zero on any type error.
# Needs the two virtualenvs (scripts/setup.sh); mypy itself runs from .venv.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
# 1. Rasa's side, against .venv's libraries: the `files` in pyproject.toml, the console left out.
.venv/bin/python -m mypy || status=$?
# 2. The staff console, against .venv-console's libraries. Its files are named one by one: the
# first run's `exclude` would skip a folder given here. PYTHONPATH is unset because mypy takes
# what it finds there for installed packages and would not report their errors.
mapfile -t console < <(find clinic_assistant/staff_console -name '*.py' | sort)
env -u PYTHONPATH .venv/bin/python -m mypy --python-executable .venv-console/bin/python \
  --cache-dir var/mypy-cache/console "${console[@]}" || status=$?
exit "$status"
