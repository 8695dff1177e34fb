/*
 * Finding and opening the database for medexctl.  medexctl runs as the
 * owner role: it applies migrations and creates the first admin, which the
 * server's own role may not do.  The owner's conninfo is in medexctl.ini,
 * a file the server never reads (and, installed as docs/operations.md
 * says, cannot read); the read-only commands connect with its db_reader
 * line when there is one.
 */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct config	cli_config;

int
cli_config_open(void)
{
	const char	*path, *data;
	char		 buf[4096], err[256];

	if ((path = getenv("MEDEX_CONFIG")) == NULL) {
		if ((data = getenv("MEDEX_DATA")) == NULL || *data == '\0')
			data = "var";
		snprintf(buf, sizeof(buf), "%s/medex.ini", data);
		path = buf;
	}
	if (config_load(&cli_config, path, err, sizeof(err)) != 0) {
		fprintf(stderr, "medexctl: %s (run `make run` once, or set "
		    "MEDEX_DATA to the instance's state folder)\n", err);
		return (-1);
	}
	return (0);
}

/*
 * medexctl.ini: MEDEX_CTL_CONFIG, else beside MEDEX_CONFIG, else in
 * MEDEX_DATA (default var/).
 */
int
cli_ctl_config_open(struct config *cfg)
{
	const char	*path, *data;
	char		 buf[4096], dir[4096], err[256];

	if ((path = getenv("MEDEX_CTL_CONFIG")) == NULL) {
		if ((data = getenv("MEDEX_CONFIG")) != NULL) {
			snprintf(dir, sizeof(dir), "%s", data);
			data = dirname(dir);
		} else if ((data = getenv("MEDEX_DATA")) == NULL ||
		    *data == '\0')
			data = "var";
		snprintf(buf, sizeof(buf), "%s/medexctl.ini", data);
		path = buf;
	}
	if (config_load(cfg, path, err, sizeof(err)) != 0) {
		fprintf(stderr, "medexctl: %s (the owner's credentials are in "
		    "medexctl.ini, written by scripts/configure.sh; set "
		    "MEDEX_CTL_CONFIG to where it is)\n", err);
		return (-1);
	}
	return (0);
}

#define CLI_CONNECT_TIMEOUT	"20"

static PGconn *
cli_db_open(const char *conninfo)
{
	const char	*keys[3], *vals[3];
	PGconn		*db;

	/*
	 * The instance's conninfo gives the server 2 s to connect (a request
	 * had better be answered 503 than wait); an operator's command may
	 * wait longer for a busy database, so a later connect_timeout
	 * overrides it (libpq: later keywords win over the expanded dbname).
	 */
	keys[0] = "dbname";
	vals[0] = conninfo;
	keys[1] = "connect_timeout";
	vals[1] = CLI_CONNECT_TIMEOUT;
	keys[2] = NULL;
	vals[2] = NULL;
	db = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(db) != CONNECTION_OK) {
		fprintf(stderr, "medexctl: cannot connect to the database: %s",
		    PQerrorMessage(db));
		PQfinish(db);
		return (NULL);
	}
	return (db);
}

/*
 * MEDEX_DB_URL, else medexctl.ini's line for the role: "db_reader" (an
 * empty or absent line falls back to the owner's, for a database where
 * nobody created medex_reader) or "db_owner".
 */
static PGconn *
cli_db_connect_as(const char *key)
{
	struct config	 cfg;
	const char	*conninfo;
	PGconn		*db;

	if ((conninfo = getenv("MEDEX_DB_URL")) != NULL)
		return (cli_db_open(conninfo));
	if (cli_ctl_config_open(&cfg) != 0)
		return (NULL);
	conninfo = config_get(&cfg, key);
	if (conninfo == NULL || *conninfo == '\0')
		conninfo = config_get(&cfg, "db_owner");
	if (conninfo == NULL || *conninfo == '\0') {
		fprintf(stderr, "medexctl: medexctl.ini has no db_owner\n");
		config_free(&cfg);
		return (NULL);
	}
	db = cli_db_open(conninfo);
	config_free(&cfg);
	return (db);
}

PGconn *
cli_db_connect(void)
{
	return (cli_db_connect_as("db_owner"));
}

PGconn *
cli_db_connect_reader(void)
{
	return (cli_db_connect_as("db_reader"));
}

int
cli_exec_ok(PGconn *db, const char *sql)
{
	PGresult	*res;
	int		 ok;

	res = PQexec(db, sql);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK ||
	    PQresultStatus(res) == PGRES_TUPLES_OK;
	if (!ok)
		fprintf(stderr, "medexctl: %s", PQerrorMessage(db));
	PQclear(res);
	return (ok);
}

/*
 * Row-level security shows the owner one office at a time: sets
 * medex.office_id for the current transaction, as a $1 parameter.
 * 1, or 0 with the error printed.
 */
int
cli_office_set(PGconn *db, const char *office_id)
{
	PGresult	*res;
	const char	*params[1];
	int		 ok;

	params[0] = office_id;
	res = PQexecParams(db, "SELECT set_config('medex.office_id', $1, "
	    "true)", 1, NULL, params, NULL, NULL, 0);
	ok = PQresultStatus(res) == PGRES_TUPLES_OK;
	if (!ok)
		fprintf(stderr, "medexctl: %s", PQerrorMessage(db));
	PQclear(res);
	return (ok);
}
