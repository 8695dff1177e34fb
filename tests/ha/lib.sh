# Shared by the tests of tests/ha/ (sourced): the TAP-like lines, the
# superuser's psql, and one medex instance (the sanitized build) on the
# folder's configuration.  Needs root, data, out, port and a `logs`
# variable naming the files to show when the test dies.

pass=0
fail=0
kpid=""

ok() { echo "ok - $1"; pass=$((pass + 1)); }
notok() { echo "not ok - $1"; fail=$((fail + 1)); }
check() { if eval "$2"; then ok "$1"; else notok "$1"; fi; }

finish() {
	echo "# pass $pass"
	echo "# fail $fail"
	[ "$fail" -eq 0 ]
	exit $?
}

die() {
	local f
	notok "$1"
	for f in $logs; do
		[ -f "$f" ] && { echo "--- $f"; tail -n 20 "$f"; }
	done
	finish
}

# psql as the superuser on the medex database of a port.
su_sql() {
	local p=$1
	shift
	PGPASSWORD=$(cat "$data/secrets/pg_superuser") psql -X -q -At \
	    -h 127.0.0.1 -p "$p" -U postgres -d medex "$@" 2>/dev/null
}

# medex on $port with $data/medex.conf, in the background ($kpid); 0 when
# it is ready.
start_medex() {
	local preload=""
	if nm -D "$root/$out/medex.so" 2>/dev/null | grep -q __asan_init; then
		preload=$(${CC:-cc} -print-file-name=libasan.so)
	fi
	LD_PRELOAD=$preload ASAN_OPTIONS=detect_leaks=0:abort_on_error=0 \
	    kore -c "$data/medex.conf" -f -n -r >"$data/kore.log" 2>&1 &
	kpid=$!
	for _ in $(seq 1 300); do
		curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 &&
		    return 0
		sleep 0.1
	done
	return 1
}

# A bearer token for user $1 with password $2, from the instance.
sign_in() {
	curl -s -X POST -H 'Content-Type: application/json' \
	    --data "{\"username\":\"$1\",\"password\":\"$2\"}" \
	    "http://127.0.0.1:$port/api/v1/auth/login" |
	    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
