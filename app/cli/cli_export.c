/*
 * medexctl export --month YYYY-MM [--office CODE] [--format csv|json]
 *
 * The same bytes as GET /api/v1/exports/monthly by a national analyst:
 * the same SQL (export_raw) and the same renderer (app/core/export.c).
 * Without --office every office is exported, with the ALL row.  It
 * connects as the read-only role (cli_db_connect_reader()).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "export.h"
#include "validate.h"

static int
usage(void)
{
	fprintf(stderr, "usage: medexctl export --month YYYY-MM "
	    "[--office CODE] [--format csv|json]\n");
	return (2);
}

int
cli_export(int argc, char **argv)
{
	PGconn		*db;
	PGresult	*res;
	struct sbuf	 out;
	const char	*month, *office, *format, *params[2];
	char		 err[128];
	int		 i, fmt, ret;

	month = office = NULL;
	format = "csv";
	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--month") == 0)
			month = argv[i + 1];
		else if (strcmp(argv[i], "--office") == 0)
			office = argv[i + 1];
		else if (strcmp(argv[i], "--format") == 0)
			format = argv[i + 1];
		else
			return (usage());
	}
	if (i != argc || !export_month_valid(month) ||
	    (office != NULL && !validate_office_code(office)))
		return (usage());
	if (strcmp(format, "csv") == 0)
		fmt = EXPORT_CSV;
	else if (strcmp(format, "json") == 0)
		fmt = EXPORT_JSON;
	else
		return (usage());
	if ((db = cli_db_connect_reader()) == NULL)
		return (1);
	ret = 1;
	/* Every role is under row-level security (FORCE). */
	if (!cli_exec_ok(db, "SELECT set_config('medex.export', 'on', false)"))
		goto cleanup;
	params[0] = month;
	params[1] = office;
	res = PQexecParams(db, "SELECT export_raw($1, CASE WHEN $2::text IS "
	    "NULL THEN (SELECT array_agg(id) FROM offices) ELSE (SELECT "
	    "array_agg(id) FROM offices WHERE code = $2) END), "
	    "$2::text IS NULL OR EXISTS (SELECT 1 FROM offices WHERE "
	    "code = $2)", 2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "medexctl: %s", PQresultErrorMessage(res));
		PQclear(res);
		goto cleanup;
	}
	if (PQgetvalue(res, 0, 1)[0] != 't') {
		fprintf(stderr, "medexctl: there is no office %s\n", office);
		PQclear(res);
		goto cleanup;
	}
	sbuf_init(&out, 64 * 1024 * 1024);
	if (export_render(PQgetvalue(res, 0, 0),
	    (size_t)PQgetlength(res, 0, 0), month, office == NULL, fmt, &out,
	    err, sizeof(err)) != 0) {
		fprintf(stderr, "medexctl: %s\n", err);
	} else if (fwrite(out.data, 1, out.len, stdout) == out.len) {
		ret = 0;
	}
	sbuf_free(&out);
	PQclear(res);

cleanup:
	PQfinish(db);
	return (ret);
}
