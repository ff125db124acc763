#!/usr/bin/env bash
# Install the Debian packages a command needs, when missing: install_debian.sh COMMAND:PACKAGE ...
# (e.g. redis-server:redis-server). Installing never starts a service here: the project starts
# its own instances, bound to loopback, with generated passwords (tests/services.py and the
# cluster launcher). Exits non-zero, saying what to do, if a package cannot be installed.
set -uo pipefail
cd "$(dirname "$0")/.."
missing=()
for pair in "$@"; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: ${missing[*]} missing; install with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
mkdir -p var/log
echo "setup: installing Debian's ${missing[*]} (log: var/log/apt.log)"
# policy-rc.d 101: the packages' own services are not started on installation.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=1; fi
{ apt-get -o DPkg::Lock::Timeout=600 update && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}"; } \
  >>var/log/apt.log 2>&1
status=$?
[ "$created_policy" = 1 ] && rm -f "$policy"
if [ $status -ne 0 ]; then
  tail -n 20 var/log/apt.log >&2
  echo "setup: could not install ${missing[*]}, see var/log/apt.log" >&2
  exit 1
fi
