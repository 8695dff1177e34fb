/*
 * medexctl retention purge --before YYYY-MM-DD [--dry-run]
 *
 * Removes the identifiable fields of closed cases whose office's
 * retention period (offices.retention_years, set on PATCH
 * /api/v1/offices/{code}; unset keeps everything) has passed since they
 * were closed, and that were closed before the date given
 * (sql/retention.sql says what is removed and what is kept).  Nothing
 * is ever purged automatically: this command is the only way, run by
 * someone who has checked the date against the records management
 * schedule.  --dry-run lists the cases and changes nothing.
 *
 * Each office is its own transaction, with medex.office_id set (case
 * data is under row-level security for the owner too); each case its
 * own call, so the output says exactly what was done.
 *
 * The purge removes values from the case's trail too (hash version 2
 * events keep their digests), so each case's chain is verified here, in
 * C as `medexctl audit verify` does, under the case's row lock: before,
 * and a case whose chain is broken is refused (the trail must be
 * looked into, not purged over: its values may be the evidence); and
 * after, and a purge that left a chain that does not verify rolls the
 * office back.  Refusals make the exit status 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "validate.h"

#define RETENTION_USAGE \
	"usage: medexctl retention purge --before YYYY-MM-DD [--dry-run]\n"

static const char sql_offices[] =
    "SELECT id, code, retention_years FROM offices "
    "WHERE retention_years IS NOT NULL ORDER BY code";
static const char sql_due[] =
    "SELECT case_id, to_char(london_date(closed_at), 'YYYY-MM-DD') "
    "FROM retention_due($1::bigint, $2::date)";
static const char sql_purge[] =
    "SELECT retention_purge_case($1::bigint, $2, $3::date)";
static const char sql_lock[] =
    "SELECT 1 FROM cases WHERE id = $1::bigint FOR UPDATE";

/* Runs one statement of one case; 0, or -1 (said on stderr). */
static int
retention_exec(PGconn *db, const char *sql, int n, const char **params)
{
	PGresult	*res;
	int		 ok;

	res = PQexecParams(db, sql, n, NULL, params, NULL, NULL, 0);
	ok = PQresultStatus(res) == PGRES_TUPLES_OK;
	if (!ok)
		fprintf(stderr, "medexctl: %s", PQerrorMessage(db));
	PQclear(res);
	return (ok ? 0 : -1);
}

/*
 * One due case, under its row lock: its chain verified, purged unless
 * dry, verified again.  0 purged (or would be), 1 refused (its chain
 * is broken), -1 the office must roll back.
 */
static int
retention_case(PGconn *db, const char *case_id, int dry, const char *actor,
    const char *before)
{
	const char	*params[3];
	int		 v;

	params[0] = case_id;
	params[1] = actor;
	params[2] = before;
	if (!dry && retention_exec(db, sql_lock, 1, params) != 0)
		return (-1);
	if ((v = cli_audit_case(db, case_id)) != 0)
		return (v);
	if (dry)
		return (0);
	if (retention_exec(db, sql_purge, 3, params) != 0)
		return (-1);
	if ((v = cli_audit_case(db, case_id)) != 0) {
		fprintf(stderr, "medexctl: case %s: its trail does not verify "
		    "after the purge; nothing of this office is purged\n",
		    case_id);
		return (-1);
	}
	return (0);
}

/*
 * The due cases of one office, purged unless dry; how many, or -1 on
 * error.  *refused counts those whose chain is broken.
 */
static long
retention_office(PGconn *db, const char *id, const char *code,
    const char *years, const char *before, int dry, const char *actor,
    long *refused)
{
	PGresult	*res;
	const char	*params[2], *cid;
	long		 n, purged;
	int		 i, v;

	n = -1;
	if (!cli_exec_ok(db, "BEGIN"))
		return (-1);
	if (!cli_office_set(db, id))
		goto done;
	params[0] = id;
	params[1] = before;
	res = PQexecParams(db, sql_due, 2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "medexctl: %s", PQerrorMessage(db));
		PQclear(res);
		goto done;
	}
	purged = 0;
	for (i = 0; i < PQntuples(res); i++) {
		cid = PQgetvalue(res, i, 0);
		if ((v = retention_case(db, cid, dry, actor, before)) < 0) {
			PQclear(res);
			goto done;
		}
		if (v > 0) {
			printf("%s case %s (office %s): its trail does not "
			    "verify (medexctl audit verify --case %s); not "
			    "purged\n", dry ? "would refuse" : "refused", cid,
			    code, cid);
			(*refused)++;
			continue;
		}
		printf("%s case %s (office %s, closed %s, kept %s years)\n",
		    dry ? "would purge" : "purged", cid, code,
		    PQgetvalue(res, i, 1), years);
		purged++;
	}
	n = purged;
	PQclear(res);
done:
	if (n >= 0 && !cli_exec_ok(db, dry ? "ROLLBACK" : "COMMIT"))
		n = -1;
	if (n < 0)
		(void)cli_exec_ok(db, "ROLLBACK");
	return (n);
}

static int
retention_purge(const char *before, int dry)
{
	PGconn		*db;
	PGresult	*offices;
	char		 actor[128];
	long		 n, total, refused;
	int		 i, ret;

	cli_actor(actor, sizeof(actor));
	if ((db = cli_db_connect()) == NULL)
		return (1);
	offices = PQexec(db, sql_offices);
	if (PQresultStatus(offices) != PGRES_TUPLES_OK) {
		fprintf(stderr, "medexctl: %s", PQerrorMessage(db));
		PQclear(offices);
		PQfinish(db);
		return (1);
	}
	ret = 0;
	total = refused = 0;
	for (i = 0; i < PQntuples(offices); i++) {
		n = retention_office(db, PQgetvalue(offices, i, 0),
		    PQgetvalue(offices, i, 1), PQgetvalue(offices, i, 2),
		    before, dry, actor, &refused);
		if (n < 0) {
			ret = 1;
			break;
		}
		total += n;
	}
	if (ret == 0) {
		printf("retention: %ld case(s) %s; %d office(s) with a "
		    "retention period", total, dry ? "would be purged "
		    "(dry run, nothing changed)" : "purged",
		    PQntuples(offices));
		if (refused > 0)
			printf("; %ld case(s) refused: a trail that does not "
			    "verify", refused);
		printf("\n");
		ret = refused > 0;
	}
	PQclear(offices);
	PQfinish(db);
	return (ret);
}

int
cli_retention(int argc, char **argv)
{
	struct vdate	 d;
	const char	*before;
	int		 i, dry;

	before = NULL;
	dry = 0;
	if (argc < 2 || strcmp(argv[1], "purge") != 0) {
		fprintf(stderr, RETENTION_USAGE);
		return (2);
	}
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--dry-run") == 0 && !dry)
			dry = 1;
		else if (strcmp(argv[i], "--before") == 0 && i + 1 < argc &&
		    before == NULL)
			before = argv[++i];
		else {
			fprintf(stderr, RETENTION_USAGE);
			return (2);
		}
	}
	if (before == NULL || !validate_date(before, &d)) {
		fprintf(stderr, "medexctl: --before needs a date, "
		    "YYYY-MM-DD\n");
		return (2);
	}
	return (retention_purge(before, dry));
}
