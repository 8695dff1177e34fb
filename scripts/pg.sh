#!/usr/bin/env bash
# A private PostgreSQL 15 cluster inside a medex state folder.
#
#   scripts/pg.sh init|start|stop|status DATA_DIR
#
# Layout under DATA_DIR: pg/ (the cluster), pg.port, pg.log, and in
# secrets/ the generated passwords of the superuser, the owner role
# (migrations), the app role (the server) and the read-only role
# (medexctl audit verify and export).  PostgreSQL refuses to run
# as root, so as root the cluster belongs to the `postgres` system user.
set -eu

PGBIN=/usr/lib/postgresql/15/bin
cmd=${1:?usage: pg.sh init|start|stop|status DATA_DIR}
data=${2:?usage: pg.sh init|start|stop|status DATA_DIR}
data=$(cd "$data" && pwd)
pgdata=$data/pg

. "$(dirname "$0")/lib.sh"

secret() {
	# 32 random bytes as hex: safe in a conninfo string without quoting.
	head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'
}

pg_init() {
	local port su owner app
	if [ -f "$pgdata/PG_VERSION" ]; then
		return 0
	fi
	mkdir -p "$data/secrets" "$pgdata"
	chmod 700 "$data/secrets"
	umask 077
	[ -f "$data/secrets/pg_superuser" ] || secret > "$data/secrets/pg_superuser"
	[ -f "$data/secrets/db_owner" ] || secret > "$data/secrets/db_owner"
	[ -f "$data/secrets/db_app" ] || secret > "$data/secrets/db_app"
	port=${MEDEX_PG_PORT:-$(free_port $(( ${MEDEX_PORT:-8888} + 10000 )))}
	echo "$port" > "$data/pg.port"
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres:postgres "$pgdata"
		# The postgres user must be able to reach the folder.
		if ! runuser -u postgres -- test -x "$pgdata"; then
			echo "pg.sh: user postgres cannot reach $pgdata;" \
			    "clone medex under a folder others may traverse" >&2
			exit 1
		fi
	fi
	chmod 700 "$pgdata"
	pwfile=$(mktemp)
	cp "$data/secrets/pg_superuser" "$pwfile"
	[ "$(id -u)" -ne 0 ] || chown postgres "$pwfile"
	as_pg "$PGBIN/initdb" -D "$pgdata" -U postgres -A scram-sha-256 \
	    --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 >/dev/null
	rm -f "$pwfile"
	cat >> "$pgdata/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = ''
max_connections = 200
shared_buffers = 256MB
fsync = on
synchronous_commit = on
timezone = 'UTC'
log_timezone = 'UTC'
shared_preload_libraries = 'pg_stat_statements'
CONF
	pg_start
	PGPASSWORD=$(cat "$data/secrets/pg_superuser") \
	    psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres \
	    -d postgres \
	    -v owner="$(cat "$data/secrets/db_owner")" \
	    -v app="$(cat "$data/secrets/db_app")" <<'SQL'
CREATE ROLE medex_owner LOGIN PASSWORD :'owner';
CREATE ROLE medex_app LOGIN PASSWORD :'app' NOINHERIT;
CREATE DATABASE medex OWNER medex_owner ENCODING 'UTF8' TEMPLATE template0;
\connect medex
REVOKE ALL ON DATABASE medex FROM PUBLIC;
GRANT CONNECT ON DATABASE medex TO medex_owner, medex_app;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
GRANT pg_read_all_stats TO medex_owner;
SQL
}

# The read-only role, also for clusters made before it existed (its
# grants are in migrations/0023_reader.sql).  Not on a standby.
pg_reader() {
	local port
	umask 077
	[ -f "$data/secrets/db_reader" ] || secret > "$data/secrets/db_reader"
	port=$(cat "$data/pg.port")
	PGPASSWORD=$(cat "$data/secrets/pg_superuser") \
	    psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres \
	    -d medex -v reader="$(cat "$data/secrets/db_reader")" <<'SQL'
SELECT NOT pg_is_in_recovery() AND NOT EXISTS (SELECT 1 FROM pg_roles
    WHERE rolname = 'medex_reader') AS missing \gset
\if :missing
CREATE ROLE medex_reader LOGIN PASSWORD :'reader' NOINHERIT;
GRANT CONNECT ON DATABASE medex TO medex_reader;
\endif
SQL
}

# The owner of the entry points (issue 20: SECURITY DEFINER functions
# owned by a role that is not the migration owner), also for clusters
# made before it existed; its grants are in migrations/0033_definer.sql
# and sql/boundary.sql.  It cannot log in; the owner is a member, so
# that medexctl migrate may replace the functions it owns.
pg_definer() {
	local port
	port=$(cat "$data/pg.port")
	PGPASSWORD=$(cat "$data/secrets/pg_superuser") \
	    psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres \
	    -d medex <<'SQL'
SELECT NOT pg_is_in_recovery() AND NOT EXISTS (SELECT 1 FROM pg_roles
    WHERE rolname = 'medex_definer') AS missing \gset
\if :missing
CREATE ROLE medex_definer NOLOGIN NOINHERIT;
GRANT medex_definer TO medex_owner;
\endif
SQL
}

pg_start() {
	if as_pg "$PGBIN/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
		return 0
	fi
	touch "$data/pg.log"
	[ "$(id -u)" -ne 0 ] || chown postgres "$data/pg.log"
	as_pg "$PGBIN/pg_ctl" -D "$pgdata" -l "$data/pg.log" -w -t 60 \
	    -o "-c port=$(cat "$data/pg.port")" start >/dev/null
}

pg_stop() {
	[ -f "$pgdata/PG_VERSION" ] || return 0
	if as_pg "$PGBIN/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
		as_pg "$PGBIN/pg_ctl" -D "$pgdata" -m fast -w -t 60 stop >/dev/null
	fi
}

case "$cmd" in
init)	pg_init ;;
start)	pg_init; pg_start; pg_reader; pg_definer ;;
stop)	pg_stop ;;
status)	as_pg "$PGBIN/pg_ctl" -D "$pgdata" status ;;
*)	echo "usage: pg.sh init|start|stop|status DATA_DIR" >&2; exit 2 ;;
esac
