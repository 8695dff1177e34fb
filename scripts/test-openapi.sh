#!/usr/bin/env bash
# The checks of the OpenAPI document (tests/openapi/), against the server
# that scripts/test-http.sh started (MEDEX_TEST_URL, MEDEX_TEST_OUT,
# MEDEX_DATA come from there), after the HTTP tests:
#
#  1. `redocly lint` (default rules) of the served document: no error and
#     no warning;
#  2. every answer the HTTP tests recorded (MEDEX_TEST_RESPONSES) against
#     the document: route, status, and the body's schema (validate.mjs);
#  3. node's test runner: the validator refuses broken copies of real
#     answers (validate.test.mjs), and a client generated from the
#     document (openapi-typescript, openapi-fetch), type-checked by tsc,
#     reads, lists and moves a case on the server (client.test.ts).
#
# Installs the locked npm packages first.  Ends with "# pass N" and
# "# fail N" as the browser tests do.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$root/tests/openapi
work=${MEDEX_DATA:?}/openapi
mkdir -p "$work"
doc=$work/openapi.json
pass=0
fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
notok() { echo "not ok - $1"; fail=$((fail + 1)); }
finish() { echo "# pass $pass"; echo "# fail $fail"; exit $((fail > 0)); }

cd "$dir" || exit 1
if [ ! -f node_modules/.package-lock.json ] ||
    [ package-lock.json -nt node_modules/.package-lock.json ]; then
	npm ci --no-audit --no-fund --loglevel=error || { notok "npm ci"; finish; }
fi
bin=$dir/node_modules/.bin
if ! curl -fsS "$MEDEX_TEST_URL/api/v1/openapi.json" -o "$doc"; then
	notok "GET /api/v1/openapi.json"
	finish
fi

# 1. Lint, with Redocly's default (recommended) rules.
"$bin/redocly" lint "$doc" --format=json >"$work/lint.json" 2>/dev/null
counts=$(node -e 'const t = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).totals; console.log(t.errors + " " + t.warnings)' "$work/lint.json" 2>/dev/null)
echo "openapi: redocly lint: ${counts:-?} (errors warnings)"
if [ "$counts" = "0 0" ]; then
	ok "redocly lint: 0 errors, 0 warnings"
else
	"$bin/redocly" lint "$doc" --format=stylish 2>&1 | tail -n 60
	notok "redocly lint: ${counts:-no result} (errors warnings)"
fi

# 2. The recorded answers.
if [ -s "${MEDEX_TEST_RESPONSES:-}" ] &&
    node "$dir/validate.mjs" "$doc" "$MEDEX_TEST_RESPONSES"; then
	ok "the recorded answers are as documented"
else
	notok "the recorded answers are as documented"
fi

# 3. Types from the document, the client checked by tsc, node's tests.
rm -rf "$dir/gen" "$dir/dist"
if "$bin/openapi-typescript" "$doc" -o "$dir/gen/medex.d.ts" >/dev/null &&
    "$bin/tsc" -p "$dir/tsconfig.json"; then
	ok "openapi-typescript and tsc"
else
	notok "openapi-typescript and tsc"
	finish
fi
log=$work/node.tap
MEDEX_OPENAPI_DOC=$doc node --test --test-reporter=tap \
    --test-concurrency=1 "$dir/validate.test.mjs" "$dir"/dist/*.test.js \
    >"$log" 2>&1
cat "$log"
n=$(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$log" | tail -n 1)
f=$(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$log" | tail -n 1)
pass=$((pass + ${n:-0}))
if [ -z "$n" ] || [ -z "$f" ]; then
	notok "node --test: no summary"
else
	fail=$((fail + f))
fi
finish
