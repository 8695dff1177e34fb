#!/usr/bin/env bash
# `make test-ha` (issue 22): a primary, its synchronous standby
# (scripts/standby.sh), two medex instances (the sanitized build) behind
# nginx (conf/nginx-medex.conf, tests/http/nginx_front.sh), and writers
# creating cases and notes through nginx the whole time.
#
#  1. MEDEX_SYNC_STANDBY=required, standby stopped: a write is not
#     acknowledged (it waits, PostgreSQL shows it waiting for the copy);
#     the standby back, the write completes.
#  2. preferred, with the guard (MEDEX_SYNC_GRACE=3): the standby stopped,
#     writes go on after the grace period without the copy; the standby
#     back, commits wait for it again.
#  3. Failover: the primary's postmaster killed with SIGKILL, the standby
#     promoted; writing resumes within 10 s of the promotion; every write
#     answered 2xx is on the new primary; no answer was a 500; every hash
#     chain verifies (medexctl audit verify).
#
# Prints "ok - ..." / "not ok - ..." and ends with "# pass N" / "# fail N".
#
#   tests/ha/failover.sh BUILD_DIR
set -u
out=${1:-build/san}
root=$(cd "$(dirname "$0")/../.." && pwd)
data=$(mktemp -d /tmp/medex-ha.XXXXXX)
chmod 755 "$data"
export MEDEX_MFA_REQUIRED_ROLES=${MEDEX_MFA_REQUIRED_ROLES-}
export MEDEX_DATA=$data MEDEX_TEST_ROOT=$root MEDEX_TEST_OUT=$root/$out
. "$root/scripts/lib.sh"
. "$root/tests/ha/lib.sh"
logs="$data/kore.log $data/pg.log $data/standby/pg.log"
gpid=""
password="ha test password 1"

cleanup() {
	touch "$data/stop"
	wait_writers
	[ -n "$gpid" ] && kill "$gpid" 2>/dev/null
	"$root/tests/http/nginx_front.sh" stop >/dev/null 2>&1
	"$root/tests/http/second_instance.sh" stop >/dev/null 2>&1
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

writers=""
start_writers() {
	local i
	rm -f "$data/stop"
	for i in 1 2; do
		python3 "$root/tests/ha/writer.py" "$base" \
		    "$data/nginx/fullchain.pem" ha.officer "$password" \
		    "$data/writes.jsonl" "$data/stop" "$i" &
		writers="$writers $!"
	done
}

wait_writers() {
	local p
	for p in $writers; do
		wait "$p" 2>/dev/null
	done
	writers=""
}

# Writes answered 2xx after epoch second $1.
acked_since() {
	python3 - "$data/writes.jsonl" "$1" <<'PY'
import json, sys
n = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["op"] in ("case", "note") and 200 <= r["status"] < 300 \
            and r["t"] > float(sys.argv[2]):
        n += 1
print(n)
PY
}

# A write straight to the first instance, in the background ($wpid); its
# status lands in $data/$1.status, which stays empty while no answer came.
write_bg() {
	curl -s -o /dev/null -w '%{http_code}' -m 60 -X POST \
	    -H "Authorization: Bearer $token" \
	    -H 'Content-Type: application/json' \
	    --data '{"given_name":"Waiting","family_name":"Forcopy","date_of_birth":"1940-02-03","sex":"male","date_of_death":"2026-11-10","place_of_death":"home","attending_practitioner":{"name":"Dr A","gmc_number":"7654321"},"notified_at":"2026-11-10T12:00:00Z"}' \
	    "http://127.0.0.1:$MEDEX_PORT/api/v1/cases" >"$data/$1.status" &
	wpid=$!
}

waiting_for_copy() {
	[ "$(su_sql "$pport" -c "SELECT count(*) FROM pg_stat_activity \
WHERE wait_event = 'SyncRep'")" -ge 1 ]
}

# --- the clusters and the servers
port=$(free_port $((20000 + RANDOM % 8000)))
export MEDEX_PORT=$port
export MEDEX_PG_PORT=$(free_port $((port + 1)))
export MEDEX_TRUSTED_PROXIES=127.0.0.1
"$root/scripts/pg.sh" start "$data" >/dev/null || die "primary started"
pport=$(cat "$data/pg.port")
MEDEX_SYNC_STANDBY=required "$root/scripts/standby.sh" start "$data" \
    >"$data/standby.out" 2>&1 || { cat "$data/standby.out"; die "standby made"; }
sport=$(cat "$data/standby/pg.port")
# For the second instance too (second_instance.sh configures its own
# folder, which has no standby of its own).
export MEDEX_DB_HOSTS="127.0.0.1:$pport,127.0.0.1:$sport"
"$root/scripts/configure.sh" "$data" "$root/$out/medex.so" "$port" ||
    die "configured"
grep -q "target_session_attrs=read-write" "$data/medex.ini" &&
    ok "medex connects with a multi-host conninfo (primary $pport, standby $sport)" ||
    notok "medex connects with a multi-host conninfo"
export MEDEX_CONFIG=$data/medex.ini
"$root/$out/medexctl" migrate >/dev/null || die "migrated"
"$root/$out/medexctl" office add HA "Failover office" >/dev/null ||
    die "office added"
printf '%s\n' "$password" | "$root/$out/medexctl" user add ha.officer \
    --role officer --office HA --name "HA Officer" >/dev/null ||
    die "user added"

start_medex || die "medex ready"
port2=$("$root/tests/http/second_instance.sh" start same-keys) ||
    die "second instance"
ports=$("$root/tests/http/nginx_front.sh" start "$port2") || die "nginx"
base="https://127.0.0.1:${ports%% *}"
token=$(sign_in ha.officer "$password") || die "signed in"

# --- 1. required: no copy, no acknowledgement
"$root/scripts/standby.sh" stop "$data"
write_bg required
sleep 6
check "required, standby stopped: a write is not acknowledged in 6 s" \
    '[ "$(cat "$data/required.status")" = "" ]'
check "required: PostgreSQL holds the commit until the standby has it" \
    waiting_for_copy
"$root/scripts/standby.sh" start "$data"
wait "$wpid"
check "required, standby back: the write is acknowledged ($(cat "$data/required.status"))" \
    '[ "$(cat "$data/required.status")" = 201 ]'

# --- 2. preferred: the guard lets writes go on without the copy
MEDEX_SYNC_STANDBY=preferred MEDEX_SYNC_GRACE=3 \
    "$root/scripts/standby.sh" guard "$data" >"$data/guard.log" 2>&1 &
gpid=$!
sleep 1
"$root/scripts/standby.sh" stop "$data"
t0=$(date +%s)
write_bg preferred
wait "$wpid"
t1=$(date +%s)
check "preferred, standby stopped: the write is acknowledged after the grace ($(cat "$data/preferred.status") in $((t1 - t0)) s)" \
    '[ "$(cat "$data/preferred.status")" = 201 ] && [ $((t1 - t0)) -le 15 ]'
check "preferred: the guard logged that commits no longer wait" \
    'grep -q "no longer wait" "$data/guard.log"'
"$root/scripts/standby.sh" start "$data"
for _ in $(seq 1 20); do
	[ "$(su_sql "$pport" -c 'SHOW synchronous_standby_names')" != "" ] &&
	    break
	sleep 1
done
check "preferred, standby back: commits wait for it again" \
    '[ "$(su_sql "$pport" -c "SELECT sync_state FROM pg_stat_replication")" = sync ]'
kill "$gpid" 2>/dev/null
wait "$gpid" 2>/dev/null
gpid=""

# --- 3. failover under writes
start_writers
sleep 8
pre=$(acked_since 0)
ppid=$(head -n 1 "$data/pg/postmaster.pid")
kill -KILL "$ppid"
echo "primary postmaster $ppid killed after $pre acknowledged writes"
sleep 2
# From the moment the operator promotes (pg_ctl promote itself takes a
# few seconds).
tp=$(date +%s.%N)
"$root/scripts/standby.sh" promote "$data" || die "standby promoted"
echo "standby.sh promote took $(python3 -c "import time; print(round(time.time() - $tp, 1))") s"
sleep 10
touch "$data/stop"
wait_writers
check "writes acknowledged before the failover ($pre)" '[ "$pre" -gt 0 ]'
# The first write acknowledged after the promotion began, from the log.
resumed=$(python3 - "$data/writes.jsonl" "$tp" <<'PY'
import json, sys
tp = float(sys.argv[2])
ok = [json.loads(l) for l in open(sys.argv[1])]
ok = [r["t"] for r in ok if r["op"] in ("case", "note")
      and 200 <= r["status"] < 300 and r["t"] > tp]
print(round(min(ok) - tp, 1) if ok else "")
PY
)
check "writing resumed within 10 s of the promotion (${resumed:-never} s)" \
    '[ -n "$resumed" ] && python3 -c "import sys; sys.exit(0 if $resumed <= 10 else 1)"'
read -r cases notes s5xx s500 <<EOF
$(python3 - "$data/writes.jsonl" <<'PY'
import json, sys
cases, notes, s5xx, s500 = [], [], 0, 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    if 200 <= r["status"] < 300 and r["op"] == "case":
        cases.append(r["id"])
    if 200 <= r["status"] < 300 and r["op"] == "note":
        notes.append(r["id"])
    if r["status"] >= 500:
        s5xx += 1
    if r["status"] >= 500 and r["status"] != 503:
        s500 += 1
print(",".join(cases) or "-", "|".join(notes) or "-", s5xx, s500)
PY
)
EOF
echo "answers of 5xx while no primary took writes: $s5xx"
check "no request was answered 500 (every 5xx a 503: $s500 others)" \
    '[ "$s500" = 0 ]'
ncase=$(echo "$cases" | tr ',' '\n' | grep -c .)
nnote=$(echo "$notes" | tr '|' '\n' | grep -c .)
have=$(su_sql "$sport" -c "SELECT count(*) FROM cases WHERE id::text = \
ANY (string_to_array('$cases', ','))")
check "every acknowledged case is on the new primary ($have of $ncase)" \
    '[ "$have" = "$ncase" ] && [ "$ncase" -gt 0 ]'
have=$(su_sql "$sport" -c "SELECT count(*) FROM case_notes WHERE text = \
ANY (string_to_array('$notes', '|'))")
check "every acknowledged note is on the new primary ($have of $nnote)" \
    '[ "$have" = "$nnote" ] && [ "$nnote" -gt 0 ]'
check "every hash chain verifies on the new primary" \
    '"$root/$out/medexctl" audit verify >"$data/verify.out" 2>&1'
tail -n 2 "$data/verify.out"
finish
