#!/usr/bin/env bash
# A synchronous streaming standby of the medex cluster of a state folder,
# on the same machine (a second cluster on its own port), for development
# and for the failover test (tests/ha/failover.sh).  docs/operations.md
# ("Standby and failover") gives the same steps for two machines.
#
#   scripts/standby.sh init|start|stop|status|promote|guard DATA_DIR
#
#   init     the replication role and slot on the primary, then
#            pg_basebackup into DATA_DIR/standby/pg (first time only);
#            commits on the primary then wait for the standby
#            (synchronous_standby_names), as MEDEX_SYNC_STANDBY says
#   start    init if needed, then start the standby
#   stop     stop the standby
#   status   pg_ctl status of the standby, and what the primary sees of it
#   promote  make the standby the primary (pg_ctl promote), with a slot
#            for the old primary to rejoin as its standby (pg_rewind)
#   guard    MEDEX_SYNC_STANDBY=preferred only: watch the standby and,
#            when it has been gone MEDEX_SYNC_GRACE seconds (default 10),
#            let commits stop waiting for it; wait again once it is back.
#            Runs until killed (a service beside medex in production).
#
# MEDEX_SYNC_STANDBY=required (the default) never lets the primary
# acknowledge a commit that the standby has not written: with the standby
# gone, writes wait (and the client's request times out, a 504 from
# nginx) until it is back or an operator decides otherwise.  "preferred"
# trades that for availability through the guard: after the grace period
# writes go on without the copy, which the guard logs.
#
# Layout: DATA_DIR/standby/{pg/,pg.port,pg.log}; the replication password
# in DATA_DIR/secrets/db_replica.  PostgreSQL refuses to run as root: as
# root the clusters belong to the `postgres` system user (as in pg.sh).
set -eu

PGBIN=/usr/lib/postgresql/15/bin
SLOT=medex_standby
usage="usage: standby.sh init|start|stop|status|promote|guard DATA_DIR"
cmd=${1:?$usage}
data=${2:?$usage}
data=$(cd "$data" && pwd)
sdir=$data/standby
spg=$sdir/pg
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/lib.sh"

log() {
	echo "standby: $(date -u +%H:%M:%S) $*"
}

# psql as the superuser on a port of this folder.
su_sql() {
	local port=$1
	shift
	PGPASSWORD=$(cat "$data/secrets/pg_superuser") psql -X -q -At \
	    -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres \
	    -d postgres "$@"
}

primary_port() {
	cat "$data/pg.port"
}

# What synchronous_standby_names should be while the standby is there.
sync_names() {
	echo "FIRST 1 ($SLOT)"
}

sync_mode() {
	case "${MEDEX_SYNC_STANDBY:-required}" in
	required|preferred) echo "${MEDEX_SYNC_STANDBY:-required}" ;;
	*)	echo "standby: MEDEX_SYNC_STANDBY must be required or" \
		    "preferred" >&2
		exit 2 ;;
	esac
}

standby_init() {
	local pport sport pw
	if [ -f "$spg/PG_VERSION" ]; then
		return 0
	fi
	sync_mode >/dev/null
	"$root/scripts/pg.sh" start "$data"
	pport=$(primary_port)
	umask 077
	[ -f "$data/secrets/db_replica" ] ||
	    head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' \
	    >"$data/secrets/db_replica"
	pw=$(cat "$data/secrets/db_replica")
	# The role and the slot: the slot keeps the WAL the standby has not
	# received yet, so a standby that was down catches up instead of
	# needing a new base backup.  initdb's pg_hba.conf already lets a
	# replication connection in from 127.0.0.1 with a password.
	su_sql "$pport" -v pw="$pw" -v slot="$SLOT" >/dev/null <<'SQL'
SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'medex_replica')
    AS new_role \gset
\if :new_role
CREATE ROLE medex_replica REPLICATION LOGIN PASSWORD :'pw';
\else
ALTER ROLE medex_replica PASSWORD :'pw';
\endif
SELECT pg_create_physical_replication_slot(:'slot')
WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots
    WHERE slot_name = :'slot');
SQL
	umask 022
	sport=$(free_port $((pport + 1)))
	# The postgres user must reach the folder (as in pg.sh).
	mkdir -p "$sdir"
	chmod 755 "$sdir"
	echo "$sport" >"$sdir/pg.port"
	touch "$sdir/pg.log"
	if [ "$(id -u)" -eq 0 ]; then
		mkdir -p "$spg"
		chown postgres:postgres "$spg" "$sdir/pg.log"
	fi
	log "base backup of 127.0.0.1:$pport into $spg"
	as_pg env PGPASSWORD="$pw" "$PGBIN/pg_basebackup" -h 127.0.0.1 \
	    -p "$pport" -U medex_replica -D "$spg" -X stream -S "$SLOT" \
	    -c fast -R
	chmod 700 "$spg"
	# -R wrote primary_conninfo; ours names the standby, which is the
	# name synchronous_standby_names waits for.
	as_pg tee -a "$spg/postgresql.auto.conf" >/dev/null <<CONF
primary_conninfo = 'host=127.0.0.1 port=$pport user=medex_replica password=$pw application_name=$SLOT'
primary_slot_name = '$SLOT'
port = $sport
hot_standby = on
CONF
	standby_start
	# Only now: a commit made to wait before the standby existed would
	# wait for its first connection.
	su_sql "$pport" -c "ALTER SYSTEM SET synchronous_standby_names = \
'$(sync_names)'" -c "SELECT pg_reload_conf()" >/dev/null
	log "primary 127.0.0.1:$pport, standby 127.0.0.1:$sport," \
	    "commits wait for the standby ($(sync_mode))"
}

standby_start() {
	if as_pg "$PGBIN/pg_ctl" -D "$spg" status >/dev/null 2>&1; then
		return 0
	fi
	as_pg "$PGBIN/pg_ctl" -D "$spg" -l "$sdir/pg.log" -w -t 60 \
	    -o "-c port=$(cat "$sdir/pg.port")" start >/dev/null
}

standby_stop() {
	[ -f "$spg/PG_VERSION" ] || return 0
	if as_pg "$PGBIN/pg_ctl" -D "$spg" status >/dev/null 2>&1; then
		as_pg "$PGBIN/pg_ctl" -D "$spg" -m fast -w -t 60 stop \
		    >/dev/null
	fi
}

standby_status() {
	as_pg "$PGBIN/pg_ctl" -D "$spg" status || true
	su_sql "$(primary_port)" -c "SELECT application_name, state, \
sync_state, replay_lag FROM pg_stat_replication" 2>/dev/null ||
	    echo "the primary does not answer"
}

# The standby becomes the primary.  Its commits wait for nobody (the old
# primary is gone); a slot is made ready for the old primary, which
# rejoins as the new standby after pg_rewind (docs/operations.md).
standby_promote() {
	local sport
	sport=$(cat "$sdir/pg.port")
	as_pg "$PGBIN/pg_ctl" -D "$spg" -w -t 60 promote >/dev/null
	su_sql "$sport" -c "ALTER SYSTEM SET synchronous_standby_names = ''" \
	    -c "SELECT pg_reload_conf()" \
	    -c "SELECT pg_create_physical_replication_slot('medex_old_primary') \
WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots \
WHERE slot_name = 'medex_old_primary')" >/dev/null
	log "standby 127.0.0.1:$sport promoted: it is the primary now"
}

# Is the standby streaming to the primary?
streaming() {
	[ "$(su_sql "$(primary_port)" -c "SELECT count(*) FROM \
pg_stat_replication WHERE application_name = '$SLOT' AND \
state = 'streaming'" 2>/dev/null)" = 1 ]
}

set_sync() {
	su_sql "$(primary_port)" -c "ALTER SYSTEM SET \
synchronous_standby_names = '$1'" -c "SELECT pg_reload_conf()" \
	    >/dev/null 2>&1
}

standby_guard() {
	local grace gone waiting
	if [ "$(sync_mode)" = required ]; then
		log "guard: MEDEX_SYNC_STANDBY=required, nothing to do:" \
		    "writes wait for the standby"
		exit 0
	fi
	grace=${MEDEX_SYNC_GRACE:-10}
	gone=0
	waiting=1
	while :; do
		if streaming; then
			gone=0
			if [ "$waiting" = 0 ] && set_sync "$(sync_names)"; then
				waiting=1
				log "standby back: commits wait for it again"
			fi
		else
			gone=$((gone + 1))
			if [ "$waiting" = 1 ] && [ "$gone" -ge "$grace" ] &&
			    set_sync ""; then
				waiting=0
				log "standby gone ${grace}s: commits no" \
				    "longer wait for a copy (preferred)"
			fi
		fi
		sleep 1
	done
}

case "$cmd" in
init)		standby_init ;;
start)		standby_init; standby_start ;;
stop)		standby_stop ;;
status)		standby_status ;;
promote)	standby_promote ;;
guard)		standby_guard ;;
*)		echo "$usage" >&2; exit 2 ;;
esac
