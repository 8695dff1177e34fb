#!/usr/bin/env bash
# The restore drill (issue 22, acceptance 3), part of `make test-ha`:
# pgBackRest archiving from the primary (scripts/backup.sh), a full and an
# incremental backup, cases written through medex, then a point-in-time
# restore into a new cluster at a moment between two writes:
#  - the first write is there and the second is not;
#  - `medexctl audit verify` passes on the restored database;
#  - the month's export from the restored database is byte-identical to
#    the one the original gave at that moment.
# Prints "ok - ..." / "not ok - ..." and ends with "# pass N" / "# fail N".
#
#   tests/ha/restore.sh BUILD_DIR
set -u
out=${1:-build/san}
root=$(cd "$(dirname "$0")/../.." && pwd)
data=$(mktemp -d /tmp/medex-restore.XXXXXX)
chmod 755 "$data"
new=$data/restored
export MEDEX_MFA_REQUIRED_ROLES=${MEDEX_MFA_REQUIRED_ROLES-}
export MEDEX_DATA=$data
. "$root/scripts/lib.sh"
. "$root/tests/ha/lib.sh"
PGBIN=/usr/lib/postgresql/15/bin
logs="$data/kore.log $data/pg.log $new/pg.log"
password="restore test password 1"

cleanup() {
	if [ -n "$kpid" ]; then
		stop_kore "$kpid"
		wait "$kpid" 2>/dev/null
	fi
	[ -f "$new/pg/PG_VERSION" ] &&
	    as_pg "$PGBIN/pg_ctl" -D "$new/pg" -m fast -w stop >/dev/null 2>&1
	"$root/scripts/pg.sh" stop "$data" >/dev/null 2>&1
	if [ "${MEDEX_TEST_KEEP:-0}" = 1 ]; then
		echo "test state kept in $data"
	else
		rm -rf "$data"
	fi
}
trap cleanup EXIT INT TERM

create_case() {
	curl -s -o /dev/null -w '%{http_code}' -X POST \
	    -H "Authorization: Bearer $token" \
	    -H 'Content-Type: application/json' \
	    --data "{\"given_name\":\"Drill\",\"family_name\":\"$1\",\"date_of_birth\":\"1940-02-03\",\"sex\":\"female\",\"date_of_death\":\"2026-11-10\",\"place_of_death\":\"hospital\",\"attending_practitioner\":{\"name\":\"Dr A\",\"gmc_number\":\"7654321\"},\"notified_at\":\"2026-11-10T12:00:00Z\"}" \
	    "http://127.0.0.1:$port/api/v1/cases"
}

has_case() {
	[ "$(su_sql "$1" -c "SELECT count(*) FROM cases WHERE \
family_name = '$2'")" = 1 ]
}

# --- a cluster, medex, a user
port=$(free_port $((20000 + RANDOM % 8000)))
export MEDEX_PORT=$port
export MEDEX_PG_PORT=$(free_port $((port + 1)))
"$root/scripts/pg.sh" start "$data" >/dev/null || die "cluster started"
pport=$(cat "$data/pg.port")
"$root/scripts/configure.sh" "$data" "$root/$out/medex.so" "$port" ||
    die "configured"
export MEDEX_CONFIG=$data/medex.ini
"$root/$out/medexctl" migrate >/dev/null || die "migrated"
"$root/$out/medexctl" office add DRL "Drill office" >/dev/null || die "office"
printf '%s\n' "$password" | "$root/$out/medexctl" user add drill.officer \
    --role officer --office DRL --name "Drill Officer" >/dev/null ||
    die "user added"

# --- archiving and the full backup
"$root/scripts/backup.sh" setup "$data" >"$data/setup.out" 2>&1 ||
    { cat "$data/setup.out"; die "backup setup (pgBackRest stanza, archiving)"; }
ok "pgBackRest archives the WAL of the primary (stanza created, check passed)"
"$root/scripts/backup.sh" full "$data" >/dev/null 2>&1 || die "full backup"

start_medex || die "medex ready"
token=$(sign_in drill.officer "$password") || die "signed in"

# --- writes, the incremental backup, then the two writes around T
for i in 1 2 3; do
	[ "$(create_case "Before$i")" = 201 ] || die "case Before$i created"
done
"$root/scripts/backup.sh" incr "$data" >/dev/null 2>&1 || die "incremental backup"
"$root/scripts/backup.sh" info "$data" >"$data/info.out" 2>&1
check "the repository holds a full and an incremental backup" \
    'grep -q "full backup" "$data/info.out" && grep -q "incr backup" "$data/info.out"'
[ "$(create_case First)" = 201 ] || die "the first write"
sleep 1
target=$(su_sql "$pport" -c "SELECT now()")
month=$(date -u +%Y-%m)
"$root/$out/medexctl" export --month "$month" --format csv \
    >"$data/export-at-target.csv" || die "the export at the target time"
"$root/$out/medexctl" export --month 2026-11 --format csv \
    >"$data/export-closed-at-target.csv" || die "the closed month's export"
sleep 1
[ "$(create_case Second)" = 201 ] || die "the second write"
# The WAL holding the second write goes to the repository too.
seg=$(su_sql "$pport" -c "SELECT pg_walfile_name(pg_switch_wal())")
for _ in $(seq 1 150); do
	[ "$(su_sql "$pport" -c "SELECT coalesce(last_archived_wal >= '$seg', \
false) FROM pg_stat_archiver")" = t ] && break
	sleep 0.2
done
check "the original has both writes" \
    'has_case "$pport" First && has_case "$pport" Second'

# --- the point-in-time restore into a new cluster
"$root/scripts/backup.sh" restore "$data" "$new" "$target" \
    >"$data/restore.out" 2>&1 ||
    { cat "$data/restore.out"; die "restored to $target"; }
rport=$(cat "$new/pg.port")
ok "restored into a new cluster (port $rport) to $target"
check "the restored database has the first write" 'has_case "$rport" First'
check "the restored database does not have the second write" \
    '! has_case "$rport" Second && has_case "$rport" Before3'
"$root/scripts/configure.sh" "$new" "$root/$out/medex.so" "$port" ||
    die "configured for the restored database"
check "medexctl audit verify passes on the restored database" \
    'MEDEX_CONFIG=$new/medex.ini "$root/$out/medexctl" audit verify >"$data/verify.out" 2>&1'
tail -n 1 "$data/verify.out"
MEDEX_CONFIG=$new/medex.ini "$root/$out/medexctl" export --month "$month" \
    --format csv >"$data/export-restored.csv"
MEDEX_CONFIG=$new/medex.ini "$root/$out/medexctl" export --month 2026-11 \
    --format csv >"$data/export-closed-restored.csv"
check "the month's export from the restored database is byte-identical to the original's at the target ($(wc -c <"$data/export-restored.csv") bytes)" \
    'cmp -s "$data/export-at-target.csv" "$data/export-restored.csv" && [ -s "$data/export-restored.csv" ]'
check "the closed month's (2026-11) export is byte-identical too" \
    'cmp -s "$data/export-closed-at-target.csv" "$data/export-closed-restored.csv"'
finish
