#!/usr/bin/env bash
# `make demo-reset` (development only): the demo office's cases removed,
# trail and all, and the demo data (scripts/demo-data.py) recorded again,
# dated from today.  The demo users and their passwords stay as they are
# (DATA/secrets/demo-users.txt).  Uses the medex already serving DATA, or
# starts one for the time it takes; PostgreSQL likewise.
#
#   MEDEX_DATA          the state folder (default var/)
#   MEDEX_DEMO_OFFICE   the office to reset (default DEMO)
#   MEDEX_DEMO_USERS    its users file (default DATA/secrets/demo-users.txt)
#   MEDEX_DEMO_URL      a medex already serving DATA (the tests' server)
#   MEDEXCTL            the medexctl to verify the trail with (bin/medexctl)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
data=${MEDEX_DATA:-$root/var}
office=${MEDEX_DEMO_OFFICE:-DEMO}
. "$root/scripts/lib.sh"
if [ ! -d "$data" ] || [ ! -f "$data/medex.ini" ]; then
	echo "demo-reset: nothing to reset in $data; 'make run' creates it" >&2
	exit 1
fi
data=$(cd "$data" && pwd)
list=${MEDEX_DEMO_USERS:-$data/secrets/demo-users.txt}
if [ ! -f "$list" ]; then
	echo "demo-reset: $list is missing: $data has no demo office" >&2
	exit 1
fi
export MEDEX_CONFIG=$data/medex.ini
kpid=""
started_pg=0
cleanup() {
	if [ -n "$kpid" ]; then
		stop_kore "$kpid"
		wait "$kpid" 2>/dev/null || true
	fi
	[ "$started_pg" = 0 ] || "$root/scripts/pg.sh" stop "$data" || true
}
trap cleanup EXIT INT TERM

if ! "$root/scripts/pg.sh" status "$data" >/dev/null 2>&1; then
	"$root/scripts/pg.sh" start "$data"
	started_pg=1
fi

# The owner's conninfo from medexctl.ini, its password passed in the
# environment rather than on a command line others can read.
conn=$(sed -n 's/^db_owner = //p' "$data/medexctl.ini")
PGPASSWORD=$(echo "$conn" | sed -nE 's/.*password=([^ ]*).*/\1/p') \
    PGOPTIONS="-c medex.demo_office=$office" \
    psql -X -q "$(echo "$conn" | sed -E 's/password=[^ ]* ?//')" \
    -f "$root/scripts/demo-clear.sql"

url=${MEDEX_DEMO_URL:-}
if [ -z "$url" ]; then
	url="http://127.0.0.1:$(sed -nE 's/^[[:space:]]*bind[[:space:]]+[^ ]+[[:space:]]+([0-9]+).*/\1/p' \
	    "$data/medex.conf" | head -n 1)"
	if ! curl -fs -m 5 "$url/readyz" >/dev/null 2>&1; then
		kore -c "$data/medex.conf" -f -n -r >"$data/demo-reset.log" 2>&1 &
		kpid=$!
		for _ in $(seq 1 100); do
			curl -fs "$url/readyz" >/dev/null 2>&1 && break
			sleep 0.1
		done
	fi
fi
python3 "$root/scripts/demo-data.py" "$url" "$list"
"${MEDEXCTL:-$root/bin/medexctl}" audit verify >/dev/null
echo "medex: demo office $office reset; the trail verifies"
