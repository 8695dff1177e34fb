#!/usr/bin/env bash
# Runs each libFuzzer target for a bounded time from its seed corpus.
#
#   scripts/fuzz.sh FUZZ_OUT SECONDS target ...
#
# Seeds are read from tests/fuzz/corpus/<target>/ and never written to;
# what libFuzzer finds on the way goes to FUZZ_OUT/corpus/<target>/ (kept
# between runs, so later runs start further on) and a crashing input to
# FUZZ_OUT/artifacts/.  Each run appends its figures to FUZZ_OUT/stats.log.
# Exits non-zero if any target crashed, leaked, timed out or hit UB.
set -u
out=${1:?usage: fuzz.sh FUZZ_OUT SECONDS target ...}
secs=${2:?usage: fuzz.sh FUZZ_OUT SECONDS target ...}
shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
status=0
mkdir -p "$out/artifacts"
for t in "$@"; do
	mkdir -p "$out/corpus/$t" "$root/tests/fuzz/corpus/$t"
	log="$out/$t.log"
	"$out/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	    -max_len=8192 -print_final_stats=1 \
	    -artifact_prefix="$out/artifacts/$t-" \
	    "$out/corpus/$t" "$root/tests/fuzz/corpus/$t" >"$log" 2>&1
	rc=$?
	runs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' \
	    "$log" | tail -n 1)
	cov=$(grep -E '^#[0-9]+' "$log" | tail -n 1 |
	    sed -nE 's/.*cov: ([0-9]+).*/\1/p')
	echo "$(date -u +%FT%TZ) $t seconds=$secs rc=$rc execs=${runs:-0}" \
	    "cov=${cov:-?}" >>"$out/stats.log"
	if [ "$rc" -ne 0 ]; then
		echo "fuzz: $t FAILED (exit $rc); see $log:"
		grep -A30 -E 'ERROR:|runtime error|invariant failed' "$log" |
		    head -40
		status=1
	else
		echo "fuzz: $t ok, ${runs:-0} runs in ${secs}s, cov ${cov:-?}"
	fi
done
exit $status
