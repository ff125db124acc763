#!/usr/bin/env bash
# Make sure Debian's chromium is installed for the browser tests (Playwright drives it; test
# tools that download their own browser cannot work here). Prints what it did; never fails:
# without chromium the browser tests skip with a message saying so.
set -uo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "setup: installing Debian's chromium for the browser tests (log: var/log/apt.log)"
  mkdir -p var/log
  { apt-get -o DPkg::Lock::Timeout=600 update && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends chromium; } \
    >>var/log/apt.log 2>&1 || echo "setup: could not install chromium; browser tests will be skipped"
else
  echo "setup: chromium not found; install it (Debian: apt-get install chromium) to run the browser tests"
fi
