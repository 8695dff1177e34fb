# Shell helpers shared by the scripts (sourced, not run).

# The first free TCP port on 127.0.0.1 from $1 upwards.
free_port() {
	local p=$1
	while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do
		p=$((p + 1))
	done
	echo "$p"
}

# Stop a Kore parent and its workers: SIGTERM, then, if a worker hangs in
# its exit handlers (seen with libp11-kit's destructor under ASan), KILL
# what is left after 10 seconds so that nothing stays behind.
stop_kore() {
	local pid=$1 i
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null
	for i in $(seq 1 100); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	pkill -KILL -P "$pid" 2>/dev/null
	kill -KILL "$pid" 2>/dev/null
	for i in $(seq 1 20); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
}

# Runs a command as the owner of the PostgreSQL clusters: the `postgres`
# system user when we are root (PostgreSQL refuses to run as root).
as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}
