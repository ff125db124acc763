#!/usr/bin/env bash
# Fetch the pinned axe-core (scripts/axe-core.pin) from the npm registry for the accessibility
# browser tests: the tarball is checked against the pinned sha512 integrity, and axe.min.js with
# its licence is put in var/cache/axe-core/<version>/ (git-ignored). Nothing is run with node and
# nothing lands in node_modules. Idempotent: does nothing when that version is already there.
# Exits non-zero, saying why, if it cannot fetch or verify it.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=axe-core.pin
. scripts/axe-core.pin
dir="var/cache/axe-core/$AXE_CORE_VERSION"
if [ -s "$dir/axe.min.js" ]; then exit 0; fi

url="https://registry.npmjs.org/axe-core/-/axe-core-$AXE_CORE_VERSION.tgz"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "setup: fetching axe-core $AXE_CORE_VERSION from the npm registry for the accessibility tests"
if ! curl -fsSL --retry 3 --max-time 120 -o "$work/axe.tgz" "$url"; then
  echo "setup: could not download $url; the accessibility tests need it" >&2
  exit 1
fi
actual="sha512-$(openssl dgst -sha512 -binary "$work/axe.tgz" | base64 -w0)"
if [ "$actual" != "$AXE_CORE_INTEGRITY" ]; then
  echo "setup: axe-core $AXE_CORE_VERSION does not match its pinned integrity" \
       "(expected $AXE_CORE_INTEGRITY, got $actual); nothing was installed" >&2
  exit 1
fi
tar -xzf "$work/axe.tgz" -C "$work" package/axe.min.js package/LICENSE
mkdir -p "$dir"
mv "$work/package/LICENSE" "$dir/LICENSE"
mv "$work/package/axe.min.js" "$dir/axe.min.js"  # last: its presence means "installed"
echo "setup: axe-core $AXE_CORE_VERSION is in $dir"
