#!/usr/bin/env bash
# `make run`: start (creating on first run) the PostgreSQL cluster of the
# state folder, apply migrations, seed the demo office and its demo cases
# once, and serve medex in the foreground.  Ctrl-C or `make stop` stops Kore and
# PostgreSQL; the data stays for the next run.
set -eu
out=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
data=${MEDEX_DATA:-$root/var}
port=${MEDEX_PORT:-8888}
mkdir -p "$data"
data=$(cd "$data" && pwd)
export MEDEX_DATA=$data MEDEX_PORT=$port
# The demo data and anyone trying medex use 999 test NHS numbers: kept
# here, with a warning; a production instance refuses them (the default).
export MEDEX_ALLOW_TEST_NHS_NUMBERS=${MEDEX_ALLOW_TEST_NHS_NUMBERS:-1}
# No role must use two-step sign-in here (the production list is
# configure.sh's default): the demo and test accounts have none.
export MEDEX_MFA_REQUIRED_ROLES=${MEDEX_MFA_REQUIRED_ROLES-}

if [ -f "$data/kore.pid" ] && kill -0 "$(cat "$data/kore.pid")" 2>/dev/null; then
	echo "medex is already running for $data (pid $(cat "$data/kore.pid"));" \
	    "use 'make stop' first" >&2
	exit 1
fi

"$root/scripts/pg.sh" start "$data"
# A standby made by `make standby` runs beside it (configure.sh then
# writes a conninfo naming both).
[ -d "$data/standby/pg" ] && "$root/scripts/standby.sh" start "$data"
"$root/scripts/configure.sh" "$data" "$root/$out/medex.so" "$port"
"$root/bin/medexctl" migrate
"$root/scripts/seed-demo.sh" "$data"

kpid=""
. "$root/scripts/lib.sh"
stop_all() {
	trap - INT TERM EXIT
	if [ -n "$kpid" ]; then
		stop_kore "$kpid"
		wait "$kpid" 2>/dev/null || true
	fi
	"$root/scripts/standby.sh" stop "$data" || true
	"$root/scripts/pg.sh" stop "$data" || true
	echo "medex stopped (data kept in $data)"
}
trap stop_all INT TERM EXIT

echo "medex: serving http://127.0.0.1:$port (Ctrl-C to stop)"
MEDEX_CONFIG="$data/medex.ini" kore -c "$data/medex.conf" -f -n -r &
kpid=$!
# The demo cases, once, through the API of the server just started
# (scripts/demo-data.py; `make demo-reset` records them again).
list="$data/secrets/demo-users.txt"
if [ -f "$list" ] && [ ! -f "$data/secrets/demo-data.done" ]; then
	for _ in $(seq 1 100); do
		curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
		sleep 0.1
	done
	if python3 "$root/scripts/demo-data.py" --if-empty \
	    "http://127.0.0.1:$port" "$list"; then
		touch "$data/secrets/demo-data.done"
	else
		echo "medex: the demo cases could not all be recorded (above);" \
		    "'make demo-reset' records them again" >&2
	fi
fi
wait "$kpid" || true
