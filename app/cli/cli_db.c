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

PGconn *
cli_db_connect(void)
{
	const char	*conninfo;
	PGconn		*db;

	if ((conninfo = getenv("MEDEX_DB_URL")) == NULL) {
		if (cli_config_open() != 0)
			return (NULL);
		if ((conninfo = config_get(&cli_config, "db_owner")) == NULL) {
			fprintf(stderr, "medexctl: medex.ini has no db_owner\n");
			return (NULL);
		}
	}
	db = PQconnectdb(conninfo);
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
