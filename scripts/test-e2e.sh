#!/usr/bin/env bash
# The browser tests (tests/e2e/*.test.mjs): node's test runner drives
# Debian's headless chromium with npm playwright-core, against the server
# that scripts/test-http.sh started (MEDEX_TEST_URL, MEDEX_TEST_OUT and
# MEDEX_CONFIG come from there).  Installs the locked npm packages into
# tests/e2e/node_modules/ first.  Prints node's TAP output, which ends
# with "# pass N" and "# fail N".
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
e2e=$root/tests/e2e
cd "$e2e" || exit 1
if [ ! -f node_modules/.package-lock.json ] ||
    [ package-lock.json -nt node_modules/.package-lock.json ]; then
	npm ci --no-audit --no-fund --loglevel=error || exit 1
fi
if [ ! -x "${MEDEX_CHROMIUM:-/usr/bin/chromium}" ]; then
	echo "e2e: no chromium (scripts/deps.sh installs Debian's)"
	exit 1
fi
# MEDEX_E2E="cases exports" runs only those files (tests/e2e/NAME.test.mjs).
files=$(ls "$e2e"/*.test.mjs)
if [ -n "${MEDEX_E2E:-}" ]; then
	files=$(for f in $MEDEX_E2E; do echo "$e2e/$f.test.mjs"; done)
fi
# shellcheck disable=SC2086
exec node --test --test-reporter=tap --test-concurrency=1 $files
