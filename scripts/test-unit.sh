#!/usr/bin/env bash
# Runs every Check unit test program of a build and sums their results.
set -u
out=${1:-build/san}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export CK_FORK=${CK_FORK:-yes}

passed=0
failed=0
status=0
for t in "$out"/tests/unit/check_*; do
	[ -x "$t" ] || continue
	log=$(mktemp)
	"$t" >"$log" 2>&1
	rc=$?
	cat "$log"
	line=$(grep -E '^[0-9]+%: Checks: ' "$log" | tail -n 1)
	n=$(echo "$line" | sed -nE 's/.*Checks: ([0-9]+).*/\1/p')
	f=$(echo "$line" | sed -nE 's/.*Failures: ([0-9]+).*/\1/p')
	e=$(echo "$line" | sed -nE 's/.*Errors: ([0-9]+).*/\1/p')
	rm -f "$log"
	if [ -z "$n" ]; then
		echo "$(basename "$t"): no Check summary (exit $rc)"
		failed=$((failed + 1))
		status=1
		continue
	fi
	passed=$((passed + n - f - e))
	failed=$((failed + f + e))
	if [ "$rc" -ne 0 ]; then
		status=1
	fi
done
echo "unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ] || status=1
exit $status
