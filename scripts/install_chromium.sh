#!/usr/bin/env bash
# Make sure Debian's chromium is installed for the browser tests (Playwright drives it; test
# tools that download their own browser cannot work here). Prints what it did; never fails:
# without chromium the browser tests skip with a message saying so.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/install_debian.sh chromium:chromium \
  || echo "setup: without chromium the browser tests will be skipped"
