#!/usr/bin/env bash
# A second medex instance on the test database, as after a key rotation:
# it signs with a new key and still verifies the first instance's key.
#
#   tests/http/second_instance.sh start [same-keys] | stop
# start prints the second instance's port.  With same-keys it signs with
# the first instance's key, as two instances behind one nginx do
# (tests/http/test_scale_out.c).
set -eu
root=${MEDEX_TEST_ROOT:?}
data=${MEDEX_DATA:?}
d2=$data/second
. "$root/scripts/lib.sh"

case "${1:?start|stop}" in
start)
	mkdir -p "$d2"
	rm -rf "$d2/secrets"	# an earlier start's rotated key
	cp -rp "$data/secrets" "$data/pg.port" "$d2/"
	if [ "${2:-}" != same-keys ]; then
		sleep 1		# the new key must be the newest file
		openssl genpkey -algorithm EC \
		    -pkeyopt ec_paramgen_curve:P-256 \
		    -out "$d2/secrets/jwt-rotated-$(date +%s).pem" 2>/dev/null
	fi
	port=$(free_port $((MEDEX_PORT + 100)))
	"$root/scripts/configure.sh" "$d2" "$MEDEX_TEST_OUT/medex.so" "$port"
	preload=""
	if nm -D "$MEDEX_TEST_OUT/medex.so" | grep -q __asan_init; then
		preload=$(${CC:-cc} -print-file-name=libasan.so)
	fi
	MEDEX_CONFIG=$d2/medex.ini LD_PRELOAD=$preload \
	    ASAN_OPTIONS=detect_leaks=0 kore -c "$d2/medex.conf" -f -n -r \
	    >>"$d2/kore.log" 2>&1 </dev/null &
	for _ in $(seq 1 100); do
		curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
		sleep 0.1
	done
	echo "$port"
	;;
stop)
	[ -f "$d2/kore.pid" ] && stop_kore "$(cat "$d2/kore.pid")"
	;;
esac
