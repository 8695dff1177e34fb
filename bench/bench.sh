#!/usr/bin/env bash
# `make bench`: the national-scale benchmark (issue 8).  Starts its own
# PostgreSQL cluster and Kore instance in a git-ignored state folder,
# generates the synthetic dataset once per scale (bench/generate.sql),
# then drives the server with wrk and the same SQL with pgbench
# (bench/run.py) and prints one table; results go to bench/results/.
#
#   BENCH_CASES=10000 make bench          (default 10000; 6000000 = 10 years)
#   BENCH_SECONDS=10  BENCH_CONNECTIONS=64  BENCH_OFFICES=16
#   BENCH_DATA=var/bench-$BENCH_CASES     the state folder (kept: a second
#                                         run at the same scale skips the
#                                         generation; rm -rf it to redo)
#   MEDEX_WORKERS, MEDEX_PGSQL_CONN_MAX   as for make run (the tail levers)
#   BENCH_ONLY="case_read overdue"        run only these endpoints
#   BENCH_GENERATE_ONLY=1                 generate the dataset, measure nothing
#   BENCH_GEN_JOBS=2                      parallel sessions loading offices
#   BENCH_SAME_SQL=0                      skip the same-SQL comparison (issue
#                                         21: ../shared/peers/same-sql.sh, run
#                                         when that folder is beside the repo;
#                                         its packages installed when missing)
#
# Only loopback traffic.  Needs wrk (installed here with apt-get when
# missing; CI and `make test` never need it) and python3.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cases=${BENCH_CASES:-10000}
data=${BENCH_DATA:-$root/var/bench-$cases}
. "$root/scripts/lib.sh"

if ! command -v wrk >/dev/null 2>&1; then
	echo "bench: installing wrk"
	if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
	$SUDO apt-get install -y -q --no-install-recommends wrk
fi
command -v python3 >/dev/null 2>&1 || { echo "bench: needs python3" >&2; exit 1; }

mkdir -p "$data" "$root/bench/results"
chmod 755 "$data"
data=$(cd "$data" && pwd)
export MEDEX_DATA=$data
# Ports of our own, away from make run's and the tests'; kept in the
# folder, but moved on when another bench folder's instance holds them.
# A stopped cluster's port looks free, so Kore's never takes it: once
# Kore moved on to it (28800 held a moment by a server still stopping),
# and every later run found Kore and PostgreSQL on one port.
# free_port_but P Q: the first free port from P that is not Q.
free_port_but() {
	local p
	p=$(free_port "$1")
	[ "$p" = "$2" ] && p=$(free_port $((p + 1)))
	echo "$p"
}
port=$(free_port_but "$(cat "$data/port" 2>/dev/null || echo 28800)" \
    "$(cat "$data/pg.port" 2>/dev/null)")
echo "$port" > "$data/port"
if [ -f "$data/pg.port" ] &&
    ! "$root/scripts/pg.sh" status "$data" >/dev/null 2>&1; then
	free_port_but "$(cat "$data/pg.port")" "$port" > "$data/pg.port.new"
	mv "$data/pg.port.new" "$data/pg.port"
fi
export MEDEX_PORT=$port
# The generated cases use 999 test NHS numbers (bench/generate.sql).
export MEDEX_ALLOW_TEST_NHS_NUMBERS=${MEDEX_ALLOW_TEST_NHS_NUMBERS:-1}
# No role must use two-step sign-in here (the production list is
# configure.sh's default): the demo and test accounts have none.
export MEDEX_MFA_REQUIRED_ROLES=${MEDEX_MFA_REQUIRED_ROLES-}
if [ ! -f "$data/pg.port" ]; then
	export MEDEX_PG_PORT=$(free_port $((port + 1)))
fi

kpid=""
cleanup() {
	if [ -n "$kpid" ]; then
		stop_kore "$kpid"
		wait "$kpid" 2>/dev/null || true
	fi
	"$root/scripts/pg.sh" stop "$data" >/dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM

"$root/scripts/pg.sh" start "$data"
pgport=$(cat "$data/pg.port")
su() {
	PGPASSWORD=$(cat "$data/secrets/pg_superuser") psql -X -q -At \
	    -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pgport" -U postgres "$@"
}
# The benchmark cluster gets memory for a 6M-case dataset (the machine
# has 24 GiB); durability stays as in production (fsync and
# synchronous_commit on).  Set once, then a restart.
if [ ! -f "$data/pg.tuned" ]; then
	su -d postgres <<'SQL'
ALTER SYSTEM SET shared_buffers = '4GB';
ALTER SYSTEM SET effective_cache_size = '16GB';
ALTER SYSTEM SET max_wal_size = '16GB';
ALTER SYSTEM SET checkpoint_timeout = '30min';
ALTER SYSTEM SET wal_compression = 'on';
ALTER SYSTEM SET random_page_cost = 1.1;
ALTER SYSTEM SET log_line_prefix = '%m [%p] %a ';
SQL
	"$root/scripts/pg.sh" stop "$data"
	"$root/scripts/pg.sh" start "$data"
	touch "$data/pg.tuned"
fi
"$root/scripts/configure.sh" "$data" "$root/build/medex.so" "$port"
export MEDEX_CONFIG=$data/medex.ini
"$root/bin/medexctl" migrate

owner() {
	PGPASSWORD=$(cat "$data/secrets/db_owner") psql -X -q -At \
	    -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pgport" -U medex_owner \
	    -d medex "$@"
}
if [ ! -f "$data/generated" ]; then
	echo "bench: generating $cases cases (bench/generate.sql)"
	t0=$(date +%s.%N)
	owner -v cases="$cases" -v ECHO=queries -f "$root/bench/generate.sql" \
	    > "$data/generate.log"
	# The offices in parallel sessions, one transaction per office.
	jobs=${BENCH_GEN_JOBS:-2}
	pids=""
	for part in $(seq 0 $((jobs - 1))); do
		owner -v part="$part" -v parts="$jobs" \
		    -f "$root/bench/generate_office.sql" \
		    > "$data/generate-office-$part.log" &
		pids="$pids $!"
	done
	for p in $pids; do
		wait "$p" || { echo "bench: an office load failed" \
		    "(see $data/generate-office-*.log)" >&2; exit 1; }
	done
	owner -v ECHO=queries -f "$root/bench/generate_finish.sql" \
	    >> "$data/generate.log"
	t1=$(date +%s.%N)
	secs=$(echo "$t1 $t0" | awk '{printf "%.1f", $1 - $2}')
	size=$(su -d medex -c "SELECT pg_database_size('medex')")
	rows=$(su -d medex -c "SELECT (SELECT count(*) FROM cases)
	    || ' ' || (SELECT count(*) FROM case_events)")
	echo "$cases $secs $size $rows" > "$data/generated"
	echo "bench: generated in ${secs}s, database $((size / 1048576)) MiB"
	# Benchmark users: a lead ME in each of the first BENCH_OFFICES
	# offices (a lead may read, create and move cases), one national
	# analyst.  Passwords only in the state folder.
	umask 077
	head -c 18 /dev/urandom | base64 | tr '+/' '-_' > "$data/secrets/bench-password"
	umask 022
	n=${BENCH_OFFICES:-16}
	for i in $(seq 1 "$n"); do
		code=ME$(printf '%03d' "$i")
		"$root/bin/medexctl" user add "bench.lead.$(echo "$code" |
		    tr A-Z a-z)" --role lead_medical_examiner --office "$code" \
		    < "$data/secrets/bench-password" >/dev/null
	done
	"$root/bin/medexctl" user add bench.national --role national_analyst \
	    --office ME001 < "$data/secrets/bench-password" >/dev/null
fi

if [ -n "${BENCH_GENERATE_ONLY:-}" ]; then
	echo "bench: generated; BENCH_GENERATE_ONLY set, not measuring"
	exit 0
fi

# Each run adds events (every read is a `viewed` one), and the cluster is
# stopped at the end of each run, which kills any autovacuum under way: at
# 6M cases one on case_events, throttled by its cost limit, outlasts many
# runs and competed with every one of them (cases read 626 a second
# against 980).  A running server's autovacuum finishes; here the work is
# done first, at full speed, so that each run starts from the same state.
echo "bench: VACUUM (ANALYZE) before measuring"
t0=$(date +%s)
su -d medex -c "VACUUM (ANALYZE)"
echo "bench: vacuumed in $(( $(date +%s) - t0 )) s"

# Kore, built optimised (build/medex.so), like make run.
kore -c "$data/medex.conf" -f -n -r > "$data/kore.log" 2>&1 &
kpid=$!
for _ in $(seq 1 300); do
	curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
	kill -0 "$kpid" 2>/dev/null || break
	sleep 0.1
done
curl -fs "http://127.0.0.1:$port/readyz" >/dev/null || {
	echo "bench: medex did not become ready"; tail -20 "$data/kore.log"
	exit 1; }

PGPORT=$pgport BENCH_DATA=$data BENCH_PORT=$port BENCH_KORE_PID=$kpid \
    python3 "$root/bench/run.py"
