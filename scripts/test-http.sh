#!/usr/bin/env bash
# The HTTP scenarios: a throwaway PostgreSQL cluster and the real Kore
# server (the sanitized build) on free ports, each tests/http/test_*
# program run against them, then everything stopped, also on failure.
#
#   scripts/test-http.sh BUILD_DIR [test_name ...]
set -u
out=${1:-build/san}
shift || true
root=$(cd "$(dirname "$0")/.." && pwd)
data=$(mktemp -d /tmp/medex-test.XXXXXX)
chmod 755 "$data"
export MEDEX_DATA=$data
kpid=""
. "$root/scripts/lib.sh"

cleanup() {
	if [ -n "$kpid" ]; then
		stop_kore "$kpid"
		wait "$kpid" 2>/dev/null
	fi
	# An nginx that a dead test_scale_out left running.
	[ -f "$data/nginx/nginx.pid" ] &&
	    stop_kore "$(cat "$data/nginx/nginx.pid")"
	"$root/scripts/pg.sh" stop "$data" >/dev/null 2>&1
	"$root/scripts/idp.sh" stop "$data/idp" >/dev/null 2>&1
	if [ "${MEDEX_TEST_KEEP:-0}" = 1 ]; then
		echo "test state kept in $data"
	else
		rm -rf "$data"
	fi
}
trap cleanup EXIT INT TERM

# Ports below the kernel's ephemeral range: any outgoing connection may
# take a port in that range, and PostgreSQL, started (or restarted by a
# test) on such a port, then fails with "Address already in use" (seen:
# pg.log of a run, port 39736).  The second instance and nginx use up to
# 300 above this one.
eph=$(awk '{ print $1 }' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)
[ -n "$eph" ] && [ "$eph" -gt 12000 ] || eph=32768
port=$(free_port $((10000 + RANDOM % (eph - 10500))))
export MEDEX_PORT=$port
export MEDEX_PG_PORT=$(free_port $((port + 1)))
export MEDEX_TEST_URL="http://127.0.0.1:$port"
export MEDEX_TEST_ROOT=$root
export MEDEX_TEST_OUT=$root/$out
# Short, so that test_timeout's held statement is cancelled soon; still
# far above any statement of the suite's small data.
export MEDEX_STATEMENT_TIMEOUT_MS=${MEDEX_STATEMENT_TIMEOUT_MS:-4000}
# Every answer the tests get is recorded here (tests/lib/testlib.c) and
# checked against the OpenAPI document at the end (test-openapi.sh).
export MEDEX_TEST_RESPONSES=$data/responses.jsonl
# nginx (tests/http/nginx_front.sh) reaches the instances from loopback:
# its X-Real-IP is believed.  A test that connects from another loopback
# address (127.0.0.3) is an untrusted peer.
export MEDEX_TRUSTED_PROXIES=${MEDEX_TRUSTED_PROXIES-127.0.0.1}
# The tests' cases use 999 test NHS numbers (test_warnings checks both
# settings: it starts a second instance with the production default).
export MEDEX_ALLOW_TEST_NHS_NUMBERS=${MEDEX_ALLOW_TEST_NHS_NUMBERS:-1}
# No role must use two-step sign-in here (the production list is
# configure.sh's default): the demo and test accounts have none.
export MEDEX_MFA_REQUIRED_ROLES=${MEDEX_MFA_REQUIRED_ROLES-}

# A real OpenID Connect provider (glewlwyd, scripts/idp.sh) for the
# single sign-on tests (test_sso.c): the server is configured with it,
# so the sign-in page of every test offers single sign-on.
export MEDEX_IDP_PORT=$(free_port $((port + 400)))
idp_vars=$("$root/scripts/idp.sh" start "$data/idp" "$MEDEX_IDP_PORT" \
    "$MEDEX_TEST_URL/auth/sso/callback" "$MEDEX_TEST_URL/login") || exit 1
eval "$idp_vars"
export IDP_DIR IDP_ISSUER IDP_CLIENT_ID IDP_CLIENT_SECRET IDP_CLIENT_KEY \
    IDP_CLIENT_KID \
    IDP_USER IDP_PASSWORD IDP_USER_SUB IDP_USER_EMAIL IDP_NOBODY_USER \
    IDP_NOBODY_PASSWORD IDP_NOBODY_SUB IDP_PID IDP_LOGIN_URL
export MEDEX_SSO_ISSUER=$IDP_ISSUER MEDEX_SSO_CLIENT_ID=$IDP_CLIENT_ID \
    MEDEX_SSO_CLIENT_SECRET_FILE=$IDP_DIR/client_secret \
    MEDEX_SSO_REDIRECT_URI=$MEDEX_TEST_URL/auth/sso/callback \
    MEDEX_SSO_POST_LOGOUT_URI=$MEDEX_TEST_URL/login \
    MEDEX_SSO_ACR_LEVELS=aal1,aal2,aal3 \
    MEDEX_SSO_LABEL="the test provider"

"$root/scripts/pg.sh" start "$data" || exit 1
"$root/scripts/configure.sh" "$data" "$root/$out/medex.so" "$port" || exit 1
export MEDEX_CONFIG=$data/medex.ini
"$root/$out/medexctl" migrate >/dev/null || exit 1

# The app is built with ASan: its runtime must be loaded first.
preload=""
if nm -D "$root/$out/medex.so" 2>/dev/null | grep -q __asan_init; then
	preload=$(${CC:-cc} -print-file-name=libasan.so)
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
LD_PRELOAD=$preload kore -c "$data/medex.conf" -f -n -r \
    >"$data/kore.log" 2>&1 &
kpid=$!
for _ in $(seq 1 300); do
	curl -fs "$MEDEX_TEST_URL/readyz" >/dev/null 2>&1 && break
	kill -0 "$kpid" 2>/dev/null || break
	sleep 0.1
done
if ! curl -fs "$MEDEX_TEST_URL/readyz" >/dev/null 2>&1; then
	echo "medex did not become ready; its log:"
	cat "$data/kore.log"
	exit 1
fi

# /healthz needs no database: no answer in 5 s means the server is stuck.
server_answers() {
	local i
	for i in 1 2 3; do
		curl -s -m 5 -o /dev/null "$MEDEX_TEST_URL/healthz" && return 0
	done
	return 1
}

# What an on-call engineer would look at first.
server_report() {
	echo "--- kore processes (state, wait channel):"
	ps -o pid,ppid,stat,wchan:24,cmd -p "$kpid" --ppid "$kpid"
	echo "--- the last 40 lines of the server log without request lines:"
	grep -vE '^[0-9T:-]+Z req=' "$data/kore.log" | tail -n 40
	echo "--- the last 20 lines of PostgreSQL's log:"
	tail -n 20 "$data/pg.log" 2>/dev/null
}

passed=0
failed=0
status=0
hung=0
if [ $# -gt 0 ]; then
	tests=$(for t in "$@"; do echo "$root/$out/tests/http/$t"; done)
else
	tests=$(ls "$root/$out"/tests/http/test_* 2>/dev/null)
fi
# "e2e" and "openapi" name the steps below, not programs here.
tests=$(echo "$tests" | grep -vE '/(e2e|openapi)$')
for t in $tests; do
	log=$(mktemp)
	(cd "$root" && ASAN_OPTIONS=detect_leaks=1 "$t") >"$log" 2>&1
	rc=$?
	cat "$log"
	line=$(grep -E '^[0-9]+%: Checks: ' "$log" | tail -n 1)
	n=$(echo "$line" | sed -nE 's/.*Checks: ([0-9]+).*/\1/p')
	f=$(echo "$line" | sed -nE 's/.*Failures: ([0-9]+).*/\1/p')
	e=$(echo "$line" | sed -nE 's/.*Errors: ([0-9]+).*/\1/p')
	rm -f "$log"
	if [ -z "$n" ]; then
		echo "$(basename "$t"): no Check summary (exit $rc)"
		failed=$((failed + 1)); status=1
	else
		passed=$((passed + n - f - e))
		failed=$((failed + f + e))
		# Every check passed and still a failing exit: LeakSanitizer's
		# report (above) at the program's end.  Counted, so that the
		# closing line says so.
		if [ "$rc" -ne 0 ] && [ $((f + e)) -eq 0 ]; then
			echo "$(basename "$t"): exit $rc after its checks passed"
			failed=$((failed + 1))
		fi
		[ "$rc" -eq 0 ] || status=1
	fi
	# A server that stopped answering fails every later test, the
	# browser tests after 30 s each: stop here and say why, once.
	if ! server_answers; then
		echo "the medex server stopped answering after $(basename "$t")"
		server_report
		failed=$((failed + 1)); status=1; hung=1
		break
	fi
done

# The browser tests, against the same server: all of them when no test
# was named, or when "e2e" was (scripts/test-e2e.sh).
run_e2e=0
[ $# -eq 0 ] && run_e2e=1
for t in "$@"; do [ "$t" = e2e ] && run_e2e=1; done
if [ "$run_e2e" = 1 ] && [ "$hung" = 1 ]; then
	echo "e2e: not run, the server had stopped answering"
	failed=$((failed + 1)); status=1
elif [ "$run_e2e" = 1 ] && [ -d "$root/tests/e2e" ]; then
	log=$(mktemp)
	"$root/scripts/test-e2e.sh" >"$log" 2>&1
	rc=$?
	cat "$log"
	n=$(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$log" | tail -n 1)
	f=$(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$log" | tail -n 1)
	rm -f "$log"
	if [ -z "$n" ] || [ -z "$f" ]; then
		echo "e2e: no test summary (exit $rc)"
		failed=$((failed + 1)); status=1
	else
		passed=$((passed + n))
		failed=$((failed + f))
		[ "$rc" -eq 0 ] || status=1
	fi
fi

# The OpenAPI document: lint, the recorded answers against it, a
# generated client (scripts/test-openapi.sh); when no test was named, or
# when "openapi" was.
run_openapi=0
[ $# -eq 0 ] && run_openapi=1
for t in "$@"; do [ "$t" = openapi ] && run_openapi=1; done
if [ "$run_openapi" = 1 ] && [ "$hung" = 1 ]; then
	echo "openapi: not run, the server had stopped answering"
	failed=$((failed + 1)); status=1
elif [ "$run_openapi" = 1 ] && [ -d "$root/tests/openapi" ]; then
	log=$(mktemp)
	"$root/scripts/test-openapi.sh" >"$log" 2>&1
	rc=$?
	cat "$log"
	n=$(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$log" | tail -n 1)
	f=$(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$log" | tail -n 1)
	rm -f "$log"
	if [ -z "$n" ] || [ -z "$f" ]; then
		echo "openapi: no test summary (exit $rc)"
		failed=$((failed + 1)); status=1
	else
		passed=$((passed + n))
		failed=$((failed + f))
		[ "$rc" -eq 0 ] || status=1
	fi
fi

# The server must not have crashed or reported sanitizer errors.
if ! kill -0 "$kpid" 2>/dev/null; then
	echo "the medex server died during the tests"; status=1
	server_report
fi
if grep -qE 'ERROR: AddressSanitizer|runtime error:' "$data/kore.log"; then
	echo "sanitizer reports in the server log:"
	grep -A20 -E 'ERROR: AddressSanitizer|runtime error:' "$data/kore.log" | head -60
	status=1
	failed=$((failed + 1))
fi
# No password, hash or token may reach a log (the tests' password, and
# anything shaped like a JWT or an argon2 hash).
logs="$data/kore.log $data/pg.log"
[ -f "$data/second/kore.log" ] && logs="$logs $data/second/kore.log"
[ -f "$data/nginx/access.log" ] &&
    logs="$logs $data/nginx/access.log $data/nginx/error.log"
# shellcheck disable=SC2086
if grep -lE 'correct horse battery|eyJ[A-Za-z0-9_-]{8,}\.|\$argon2id\$' $logs; then
	echo "a password, hash or token was written to the logs above"
	status=1
	failed=$((failed + 1))
fi
echo "http: $passed passed, $failed failed"
[ "$failed" -eq 0 ] || status=1
exit $status
