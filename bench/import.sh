#!/usr/bin/env bash
# The import benchmark (issue 23): `medexctl import cases` of generated
# files into empty offices of a fresh PostgreSQL cluster (default
# settings, fsync on), timed with /usr/bin/time -v: rows per second and
# peak resident memory, for 10,000 and BENCH_IMPORT_ROWS (default
# 100,000) rows, so that the two peaks show whether memory stays flat.
# Each file is imported as a dry run, for real, and again (nothing new).
#
#   bench/import.sh                 figures on standard output and in
#                                   bench/results/import-<date>.txt
#   BENCH_IMPORT_ROWS=100000  BENCH_DATA=var/bench-import (redone each run)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
rows=${BENCH_IMPORT_ROWS:-100000}
data=${BENCH_DATA:-$root/var/bench-import}
. "$root/scripts/lib.sh"

[ -x /usr/bin/time ] || { echo "bench: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
"$root/scripts/pg.sh" stop "$data" >/dev/null 2>&1 || true
rm -rf "$data"
mkdir -p "$data" "$root/bench/results"
chmod 755 "$data"
data=$(cd "$data" && pwd)
export MEDEX_DATA=$data
port=$(free_port 28900)
export MEDEX_PG_PORT=$(free_port $((port + 1)))
cleanup() {
	"$root/scripts/pg.sh" stop "$data" >/dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM

# The optimised medexctl (as `make run` builds it).
make -C "$root" --no-print-directory OUT=build build/medexctl >/dev/null
ctl=$root/build/medexctl
"$root/scripts/pg.sh" start "$data"
"$root/scripts/configure.sh" "$data" "$root/build/medex.so" "$port"
export MEDEX_CONFIG=$data/medex.ini
"$ctl" migrate >/dev/null
head -c 18 /dev/urandom | base64 > "$data/secrets/bench-password"
for o in BI BJ; do
	lo=$(echo "$o" | tr A-Z a-z)
	"$ctl" office add "$o" "Import bench $o" >/dev/null
	"$ctl" user add "$lo.me" --role medical_examiner --office "$o" \
	    < "$data/secrets/bench-password" >/dev/null
	"$ctl" user add "$lo.officer" --role officer --office "$o" \
	    < "$data/secrets/bench-password" >/dev/null
done

# Rows in every state, as test_import writes them; one in ten without an
# NHS number (its key is the names and dates).
gen() {
	python3 - "$1" "$2" "$3" <<'PY'
import sys
n, office, path = int(sys.argv[1]), sys.argv[2].lower(), sys.argv[3]
states = ["notified", "in_scrutiny", "referred_to_coroner",
    "coroner_investigating", "awaiting_mccd", "mccd_issued", "closed",
    "withdrawn"]
def nhs(seq):
    while True:
        base = "424%06d" % seq
        s = sum(int(d) * (10 - i) for i, d in enumerate(base))
        c = 11 - s % 11
        c = 0 if c == 11 else c
        if c != 10:
            return base + str(c), seq + 1
        seq += 1
seq = 0
with open(path, "w", newline="") as f:
    f.write("given_name;family_name;nhs_number;date_of_birth;sex;"
        "date_of_death;place_of_death;attending_practitioner_name;"
        "attending_practitioner_gmc_number;notified_at;state;examiner;"
        "officer;mccd_issued_on;coroner_outcome\r\n")
    for i in range(n):
        k = i % 8
        num = ""
        if i % 10 != 9:
            num, seq = nhs(seq)
        exam = office + ".me" if k in (1, 4, 5, 6) else ""
        mccd = "20/03/2025" if k in (5, 6) else ""
        cor = {3: "investigating", 6: "not_investigating"}.get(k, "")
        f.write("Ann;Bench Row %d;%s;%02d/%02d/19%02d;%s;15/03/2025;"
            "hospital;Dr Jo Bell;1234567;16/03/2025;%s;%s;%s.officer;%s;"
            "%s\r\n" % (i + 2, num, i % 28 + 1, i % 12 + 1, 30 + i % 60,
            "female" if i % 2 else "male", states[k], exam, office, mccd,
            cor))
PY
}

out=$root/bench/results/import-$(date -u +%Y%m%dT%H%M%SZ).txt
report() {
	local label=$1 n=$2 log=$3 wall rss
	wall=$(sed -nE 's/.*Elapsed \(wall clock\) time.*: (.*)/\1/p' "$log")
	rss=$(sed -nE 's/.*Maximum resident set size \(kbytes\): ([0-9]+)/\1/p' "$log")
	secs=$(echo "$wall" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
	printf '%-28s %8d rows %8.1f s %9.0f rows/s  peak RSS %6.1f MiB\n' \
	    "$label" "$n" "$secs" "$(echo "$n $secs" | awk '{ print $1 / $2 }')" \
	    "$(echo "$rss" | awk '{ print $1 / 1024 }')" | tee -a "$out"
}
echo "import benchmark $(date -u +%FT%TZ), $(nproc) cores, $(git -C "$root" rev-parse --short HEAD)" | tee "$out"
for spec in "10000 BJ" "$rows BI"; do
	set -- $spec
	f=$data/import-$1.csv
	gen "$1" "$2" "$f"
	for run in dry-run import again; do
		args=""
		[ "$run" = dry-run ] && args=--dry-run
		/usr/bin/time -v "$ctl" import cases "$f" --office "$2" $args \
		    > "$data/$run-$1.out" 2> "$data/$run-$1.time" ||
		    { tail -n 5 "$data/$run-$1.out" >&2; exit 1; }
		tail -n 1 "$data/$run-$1.out" | tee -a "$out"
		report "$run $2" "$1" "$data/$run-$1.time"
	done
done
