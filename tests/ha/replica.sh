#!/usr/bin/env bash
# `make test-ha` (issue 22, acceptance 4): the exports read from the
# standby (MEDEX_DB_READ_URL) while the grant and the security log stay
# on the primary.
#
#  1. /readyz shows the replica reachable, its lag and that it is usable.
#  2. An export answered from the standby is byte-identical to
#     `medexctl export` of the same month and office on the primary.
#  3. Replay paused on the standby and cases written on the primary: past
#     MEDEX_DB_READ_MAX_LAG (2 s) the export is 503 with Retry-After and
#     /readyz says the replica is not usable (medex stays ready).
#  4. Replay resumed: the export is served again and counts the cases.
#  5. The standby stopped: the export is 503, /readyz is still 200 and
#     says the replica is unreachable.
#
#   tests/ha/replica.sh BUILD_DIR
set -u
out=${1:-build/san}
root=$(cd "$(dirname "$0")/../.." && pwd)
data=$(mktemp -d /tmp/medex-replica.XXXXXX)
chmod 755 "$data"
export MEDEX_MFA_REQUIRED_ROLES=${MEDEX_MFA_REQUIRED_ROLES-}
export MEDEX_DATA=$data MEDEX_TEST_ROOT=$root MEDEX_TEST_OUT=$root/$out
. "$root/scripts/lib.sh"
. "$root/tests/ha/lib.sh"
logs="$data/kore.log $data/pg.log $data/standby/pg.log"
password="replica test password 1"

cleanup() {
	if [ -n "$kpid" ]; then
		stop_kore "$kpid"
		wait "$kpid" 2>/dev/null
	fi
	"$root/scripts/standby.sh" stop "$data" >/dev/null 2>&1
	"$root/scripts/pg.sh" stop "$data" >/dev/null 2>&1
	if [ "${MEDEX_TEST_KEEP:-0}" = 1 ]; then
		echo "test state kept in $data"
	else
		rm -rf "$data"
	fi
}
trap cleanup EXIT INT TERM

api() {
	curl -s -H "Authorization: Bearer $1" "${@:3}" \
	    "http://127.0.0.1:$port$2"
}

new_case() {
	api "$officer" /api/v1/cases -o /dev/null -w '%{http_code}' \
	    -X POST -H 'Content-Type: application/json' \
	    --data "{\"given_name\":\"Read\",\"family_name\":\"Replica$1\",\"date_of_birth\":\"1940-02-03\",\"sex\":\"female\",\"date_of_death\":\"$(date -u +%F)\",\"place_of_death\":\"home\",\"attending_practitioner\":{\"name\":\"Dr A\",\"gmc_number\":\"7654321\"}}"
}

# The export as the analyst: the status to $1.status, the body to $1.
export_to() {
	api "$analyst" "/api/v1/exports/monthly?month=$month&format=csv" \
	    -D "$data/$1.headers" -o "$data/$1" -w '%{http_code}' \
	    >"$data/$1.status"
}

primary_export() {
	"$root/$out/medexctl" export --month "$month" --office RA \
	    --format csv >"$data/$1"
}

ready_field() {
	curl -s "http://127.0.0.1:$port/readyz" | python3 -c \
	    "import json,sys; r=json.load(sys.stdin); print(r.get('replica', {}).get('$1'))"
}

# --- a primary, its standby, medex reading exports from the standby
port=$(free_port $((20000 + RANDOM % 8000)))
export MEDEX_PORT=$port
export MEDEX_PG_PORT=$(free_port $((port + 1)))
"$root/scripts/pg.sh" start "$data" >/dev/null || die "primary started"
pport=$(cat "$data/pg.port")
"$root/scripts/standby.sh" start "$data" >"$data/standby.out" 2>&1 ||
    { cat "$data/standby.out"; die "standby made"; }
sport=$(cat "$data/standby/pg.port")
MEDEX_DB_READ_URL="host=127.0.0.1 port=$sport" MEDEX_DB_READ_MAX_LAG=2 \
    "$root/scripts/configure.sh" "$data" "$root/$out/medex.so" "$port" ||
    die "configured"
check "medex.ini names the read replica (port $sport)" \
    "grep -q '^db_read = host=127.0.0.1 port=$sport ' '$data/medex.ini'"
export MEDEX_CONFIG=$data/medex.ini
"$root/$out/medexctl" migrate >/dev/null || die "migrated"
"$root/$out/medexctl" office add RA "Replica office" >/dev/null ||
    die "office added"
for u in ra.officer:officer ra.analyst:analyst; do
	printf '%s\n' "$password" | "$root/$out/medexctl" user add "${u%%:*}" \
	    --role "${u##*:}" --office RA >/dev/null || die "user ${u%%:*}"
done
start_medex || die "medex ready"
officer=$(sign_in ra.officer "$password") || die "officer signed in"
analyst=$(sign_in ra.analyst "$password") || die "analyst signed in"
month=$(TZ=Europe/London date +%Y-%m)
# Ten cases, then three more: 10 and 15 after disclosure control
# (rounded to 5), so the export tells the two apart.
for i in 1 2 3 4 5 6 7 8 9 10; do
	[ "$(new_case "$i")" = 201 ] || die "case $i created"
done
sleep 1

# --- 1, 2
check "readyz: the replica is reachable and usable (lag $(ready_field lag_seconds) s)" \
    '[ "$(ready_field reachable)" = True ] && [ "$(ready_field usable)" = True ]'
export_to replica.csv
primary_export primary.csv
check "an export from the standby: 200 ($(cat "$data/replica.csv.status"))" \
    '[ "$(cat "$data/replica.csv.status")" = 200 ]'
check "the standby's export is byte-identical to the primary's ($(wc -c <"$data/primary.csv") bytes)" \
    'cmp -s "$data/replica.csv" "$data/primary.csv"'
check "the export is in the security log on the primary" \
    '[ "$(su_sql "$pport" -c "SELECT count(*) FROM security_events WHERE action = '"'"'export'"'"'")" -ge 1 ]'

# --- 3. the standby stops replaying; the primary moves on
su_sql "$sport" -c "SELECT pg_wal_replay_pause()" >/dev/null
for i in 11 12 13; do
	[ "$(new_case "$i")" = 201 ] || die "case $i created"
done
sleep 3
export_to behind.json
check "replay paused, 3 s behind: the export is 503 ($(cat "$data/behind.json.status"))" \
    '[ "$(cat "$data/behind.json.status")" = 503 ]'
check "... with Retry-After and the JSON error shape" \
    'grep -qi "^retry-after:" "$data/behind.json.headers" && grep -q "\"code\": *\"unavailable\"" "$data/behind.json"'
check "readyz: 200, the replica not usable (lag $(ready_field lag_seconds) s)" \
    '[ "$(curl -s -o /dev/null -w "%{http_code}" "http://127.0.0.1:$port/readyz")" = 200 ] && [ "$(ready_field usable)" = False ]'

# --- 4. replay again
su_sql "$sport" -c "SELECT pg_wal_replay_resume()" >/dev/null
sleep 1
export_to caught-up.csv
primary_export primary2.csv
check "replay resumed: the export is served again ($(cat "$data/caught-up.csv.status"))" \
    '[ "$(cat "$data/caught-up.csv.status")" = 200 ]'
check "... byte-identical to the primary's, the three new cases counted" \
    'cmp -s "$data/caught-up.csv" "$data/primary2.csv" && ! cmp -s "$data/caught-up.csv" "$data/replica.csv"'

# --- 5. no standby: commits stop waiting for it (as the guard would do),
# exports are refused, medex stays ready
su_sql "$pport" -c "ALTER SYSTEM SET synchronous_standby_names = ''" >/dev/null
su_sql "$pport" -c "SELECT pg_reload_conf()" >/dev/null
"$root/scripts/standby.sh" stop "$data"
export_to gone.json
check "standby stopped: the export is 503 ($(cat "$data/gone.json.status"))" \
    '[ "$(cat "$data/gone.json.status")" = 503 ]'
check "readyz: 200, the replica unreachable" \
    '[ "$(curl -s -o /dev/null -w "%{http_code}" "http://127.0.0.1:$port/readyz")" = 200 ] && [ "$(ready_field reachable)" = False ]'
check "no 500 in the server log" \
    '! grep -qE " 500 [0-9]+ms" "$data/kore.log"'
finish
