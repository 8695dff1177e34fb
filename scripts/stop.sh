#!/usr/bin/env bash
# `make stop`: stop the Kore server and PostgreSQL of MEDEX_DATA.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
data=${MEDEX_DATA:-$root/var}
[ -d "$data" ] || exit 0
data=$(cd "$data" && pwd)
if [ -f "$data/kore.pid" ]; then
	. "$root/scripts/lib.sh"
	stop_kore "$(cat "$data/kore.pid")"
	rm -f "$data/kore.pid"
fi
[ -d "$data/standby/pg" ] && "$root/scripts/standby.sh" stop "$data"
"$root/scripts/pg.sh" stop "$data"
