/*
 * Finding and opening the database for medexctl.  medexctl runs as the
 * owner role: it applies migrations and creates the first admin, which the
 * server's own role may not do.
 */
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

#define CLI_CONNECT_TIMEOUT	"20"

PGconn *
cli_db_connect(void)
{
	const char	*conninfo, *keys[3], *vals[3];
	PGconn		*db;

	if ((conninfo = getenv("MEDEX_DB_URL")) == NULL) {
		if (cli_config_open() != 0)
			return (NULL);
		if ((conninfo = config_get(&cli_config, "db_owner")) == NULL) {
			fprintf(stderr, "medexctl: medex.ini has no db_owner\n");
			return (NULL);
		}
	}
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
