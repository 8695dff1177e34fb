/*
 * medexctl migrate [--check]: apply migrations/NNNN_name.sql in order,
 * each in its own transaction, recorded in schema_migrations with the
 * SHA-256 of the file; then the code of the database, sql/ (every
 * function, one definition each; sql/ORDER says why and in which order),
 * whole and in one transaction, recorded file by file in schema_code.
 * An advisory lock keeps two runners from racing.  --check applies
 * nothing and exits 1 when a migration is pending or a file of sql/
 * differs from what the database recorded.
 *
 * Migrations are history: tables and data move forward, and an applied
 * one is never edited (its SHA-256 protects it), so existing databases
 * upgrade in place.  Code is source: sql/ is applied again whenever one
 * of its files changed (or a migration ran, which may have changed the
 * types the functions use), and skipped when nothing did.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "migration.h"

#define MIGRATE_LOCK_KEY	"7274563301"
#define MIGRATE_MAX		1000
#define CODE_STAGE		"medex_code_stage"

/*
 * Run with sql/ staged in CODE_STAGE and search_path CODE_STAGE, public:
 * the functions of public that CREATE OR REPLACE could not replace, and
 * the statement that drops each.  CREATE OR REPLACE refuses another
 * return type, other OUT parameters, renamed parameters or fewer
 * defaults; those are dropped first when their staged twin (same name
 * and argument types) differs in any of them.  A function of public
 * whose name sql/ defines but not with its argument types is an old
 * overload that nothing in sql/ keeps (sql/ keeps one for the previous
 * release if it still calls it): it is dropped too.  A function whose
 * name sql/ does not define at all is left alone; a migration drops it.
 * A drop that a policy or view depends on fails, and nothing is applied.
 */
static const char code_stale_sql[] =
    "SELECT p.oid::regprocedure::text, "
    "format('DROP FUNCTION %s', p.oid::regprocedure) "
    "FROM pg_proc p "
    "WHERE p.pronamespace = 'public'::regnamespace "
    "AND p.proname IN (SELECT proname FROM pg_proc "
    "    WHERE pronamespace = '" CODE_STAGE "'::regnamespace) "
    "AND NOT EXISTS (SELECT 1 FROM pg_proc s "
    "    WHERE s.pronamespace = '" CODE_STAGE "'::regnamespace "
    "    AND s.proname = p.proname AND s.proargtypes = p.proargtypes "
    "    AND s.prokind = p.prokind AND s.prorettype = p.prorettype "
    "    AND s.proretset = p.proretset "
    "    AND s.proallargtypes IS NOT DISTINCT FROM p.proallargtypes "
    "    AND s.proargmodes IS NOT DISTINCT FROM p.proargmodes "
    "    AND s.proargnames IS NOT DISTINCT FROM p.proargnames "
    "    AND s.pronargdefaults = p.pronargdefaults) "
    "ORDER BY 1";

/*
 * With check_function_bodies off a body is not even parsed when it is
 * created, so a typo would surface at the first call.  Once every staged
 * function is in place, each is checked as CREATE would have checked it
 * (its language's validator); the first error fails the transaction and
 * is reported with the function's name.
 */
static const char code_staged_sql[] =
    "SELECT p.oid, p.oid::regprocedure::text, l.lanname "
    "FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang "
    "WHERE p.pronamespace = '" CODE_STAGE "'::regnamespace "
    "AND l.lanname IN ('sql', 'plpgsql') ORDER BY 2";

static const char *
code_dir(void)
{
	const char	*dir;

	if ((dir = getenv("MEDEX_SQL")) != NULL)
		return (dir);
	if (cli_config.count > 0 &&
	    (dir = config_get(&cli_config, "sql_dir")) != NULL)
		return (dir);
	return ("sql");
}

static const char *
migrations_dir(void)
{
	const char	*dir;

	if ((dir = getenv("MEDEX_MIGRATIONS")) != NULL)
		return (dir);
	if (cli_config.count > 0 &&
	    (dir = config_get(&cli_config, "migrations_dir")) != NULL)
		return (dir);
	return ("migrations");
}

static int
scan_files(const char *dir, struct migration *files, size_t *nfiles)
{
	DIR		*d;
	struct dirent	*de;
	char		 path[4096], *text;
	size_t		 len;
	int		 version;

	*nfiles = 0;
	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "medexctl: cannot open %s: %s\n", dir,
		    strerror(errno));
		return (-1);
	}
	while ((de = readdir(d)) != NULL) {
		if ((version = migration_name_version(de->d_name)) < 0)
			continue;
		if (*nfiles == MIGRATE_MAX)
			break;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if ((text = migration_read_file(path, &len)) == NULL) {
			fprintf(stderr, "medexctl: cannot read %s\n", path);
			closedir(d);
			return (-1);
		}
		files[*nfiles].version = version;
		/* migration_name_version() bounded the length already. */
		memcpy(files[*nfiles].name, de->d_name,
		    strlen(de->d_name) + 1);
		migration_sha256_hex((unsigned char *)text, len,
		    files[*nfiles].sha256);
		free(text);
		(*nfiles)++;
	}
	closedir(d);
	migration_sort(files, *nfiles);
	return (0);
}

static int
load_applied(PGconn *db, struct migration *applied, size_t *napplied)
{
	PGresult	*res;
	int		 i, ok;

	*napplied = 0;
	res = PQexec(db, "SELECT version, filename, sha256 "
	    "FROM schema_migrations ORDER BY version");
	ok = PQresultStatus(res) == PGRES_TUPLES_OK;
	if (!ok) {
		fprintf(stderr, "medexctl: %s", PQerrorMessage(db));
		PQclear(res);
		return (-1);
	}
	for (i = 0; i < PQntuples(res) && i < MIGRATE_MAX; i++) {
		applied[i].version = atoi(PQgetvalue(res, i, 0));
		snprintf(applied[i].name, MIGRATION_NAME_MAX, "%s",
		    PQgetvalue(res, i, 1));
		snprintf(applied[i].sha256, MIGRATION_SHA_HEX, "%s",
		    PQgetvalue(res, i, 2));
	}
	*napplied = (size_t)i;
	PQclear(res);
	return (0);
}

static int
apply_one(PGconn *db, const char *dir, const struct migration *m)
{
	PGresult	*res;
	char		 path[4096], version[16], *text;
	const char	*params[3];
	size_t		 len;
	char		 sha[MIGRATION_SHA_HEX];
	int		 ok;

	snprintf(path, sizeof(path), "%s/%s", dir, m->name);
	if ((text = migration_read_file(path, &len)) == NULL) {
		fprintf(stderr, "medexctl: cannot read %s\n", path);
		return (-1);
	}
	/* The file must not change between the check and the apply. */
	migration_sha256_hex((unsigned char *)text, len, sha);
	if (strcmp(sha, m->sha256) != 0) {
		fprintf(stderr, "medexctl: %s changed while migrating\n",
		    m->name);
		free(text);
		return (-1);
	}
	ok = cli_exec_ok(db, "BEGIN");
	if (ok) {
		res = PQexec(db, text);
		ok = PQresultStatus(res) == PGRES_COMMAND_OK ||
		    PQresultStatus(res) == PGRES_TUPLES_OK;
		if (!ok)
			fprintf(stderr, "medexctl: %s failed, nothing of it "
			    "applied: %s", m->name, PQerrorMessage(db));
		PQclear(res);
	}
	if (ok) {
		snprintf(version, sizeof(version), "%d", m->version);
		params[0] = version;
		params[1] = m->name;
		params[2] = m->sha256;
		res = PQexecParams(db, "INSERT INTO schema_migrations "
		    "(version, filename, sha256) VALUES ($1, $2, $3)",
		    3, NULL, params, NULL, NULL, 0);
		ok = PQresultStatus(res) == PGRES_COMMAND_OK;
		if (!ok)
			fprintf(stderr, "medexctl: %s", PQerrorMessage(db));
		PQclear(res);
	}
	if (ok)
		ok = cli_exec_ok(db, "COMMIT");
	else
		(void)cli_exec_ok(db, "ROLLBACK");
	free(text);
	if (ok)
		printf("applied %s\n", m->name);
	return (ok ? 0 : -1);
}

static int
load_code(PGconn *db, struct migration *recorded, size_t *nrecorded)
{
	PGresult	*res;
	int		 i;

	*nrecorded = 0;
	res = PQexec(db, "SELECT filename, sha256 FROM schema_code "
	    "ORDER BY filename");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "medexctl: %s", PQerrorMessage(db));
		PQclear(res);
		return (-1);
	}
	for (i = 0; i < PQntuples(res) && i < MIGRATION_CODE_MAX; i++) {
		memset(&recorded[i], 0, sizeof(recorded[i]));
		snprintf(recorded[i].name, MIGRATION_NAME_MAX, "%s",
		    PQgetvalue(res, i, 0));
		snprintf(recorded[i].sha256, MIGRATION_SHA_HEX, "%s",
		    PQgetvalue(res, i, 1));
	}
	*nrecorded = (size_t)i;
	PQclear(res);
	return (0);
}

/* Every file of sql/, in order, each checked against its scanned hash. */
static int
code_run_files(PGconn *db, const char *dir, const struct migration *files,
    size_t nfiles)
{
	PGresult	*res;
	char		 path[4096], sha[MIGRATION_SHA_HEX], *text;
	size_t		 i, len;
	int		 ok;

	for (i = 0; i < nfiles; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i].name);
		if ((text = migration_read_file(path, &len)) == NULL) {
			fprintf(stderr, "medexctl: cannot read %s\n", path);
			return (-1);
		}
		migration_sha256_hex((unsigned char *)text, len, sha);
		if (strcmp(sha, files[i].sha256) != 0) {
			fprintf(stderr, "medexctl: %s changed while migrating\n",
			    path);
			free(text);
			return (-1);
		}
		res = PQexec(db, text);
		ok = PQresultStatus(res) == PGRES_COMMAND_OK ||
		    PQresultStatus(res) == PGRES_TUPLES_OK;
		if (!ok)
			fprintf(stderr, "medexctl: %s failed, nothing of sql/ "
			    "applied: %s", path, PQerrorMessage(db));
		PQclear(res);
		free(text);
		if (!ok)
			return (-1);
	}
	return (0);
}

static int
code_validate(PGconn *db)
{
	PGresult	*res, *v;
	const char	*params[1];
	int		 i, ok;

	res = PQexec(db, code_staged_sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "medexctl: %s", PQerrorMessage(db));
		PQclear(res);
		return (-1);
	}
	ok = 1;
	for (i = 0; ok && i < PQntuples(res); i++) {
		params[0] = PQgetvalue(res, i, 0);
		v = PQexecParams(db, strcmp(PQgetvalue(res, i, 2), "sql") == 0 ?
		    "SELECT fmgr_sql_validator($1::oid)" :
		    "SELECT plpgsql_validator($1::oid)",
		    1, NULL, params, NULL, NULL, 0);
		ok = PQresultStatus(v) == PGRES_TUPLES_OK;
		if (!ok)
			fprintf(stderr, "medexctl: sql/ not applied, function "
			    "%s: %s", PQgetvalue(res, i, 1), PQerrorMessage(db));
		PQclear(v);
	}
	PQclear(res);
	return (ok ? 0 : -1);
}

/* Drops what code_stale_sql names, saying so. */
static int
code_drop_stale(PGconn *db)
{
	PGresult	*res;
	int		 i, ok;

	res = PQexec(db, code_stale_sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "medexctl: %s", PQerrorMessage(db));
		PQclear(res);
		return (-1);
	}
	ok = 1;
	for (i = 0; ok && i < PQntuples(res); i++) {
		/* The statement is PostgreSQL's own quoting of the name. */
		if ((ok = cli_exec_ok(db, PQgetvalue(res, i, 1))))
			printf("dropped %s: sql/ defines it with another "
			    "signature\n", PQgetvalue(res, i, 0));
	}
	PQclear(res);
	return (ok ? 0 : -1);
}

/*
 * All of sql/ in one transaction.  check_function_bodies is off, so a
 * function may call one defined later (each body is checked once all are
 * in place, code_validate).  sql/ is first staged in a schema
 * of its own, to compare each function with the one it replaces (see
 * code_stale_sql), then applied to public; the stage is dropped before
 * the commit, so no one else ever sees it.
 */
static int
apply_code(PGconn *db, const char *dir, const struct migration *files,
    size_t nfiles)
{
	PGresult	*res;
	const char	*params[2];
	size_t		 i;
	int		 ok;

	ok = cli_exec_ok(db, "BEGIN") &&
	    cli_exec_ok(db, "SET LOCAL check_function_bodies = off") &&
	    cli_exec_ok(db, "CREATE SCHEMA " CODE_STAGE) &&
	    cli_exec_ok(db, "SET LOCAL search_path = " CODE_STAGE ", public") &&
	    code_run_files(db, dir, files, nfiles) == 0 &&
	    cli_exec_ok(db, "SET LOCAL check_function_bodies = on") &&
	    code_validate(db) == 0 &&
	    cli_exec_ok(db, "SET LOCAL check_function_bodies = off") &&
	    code_drop_stale(db) == 0 &&
	    cli_exec_ok(db, "SET LOCAL search_path TO DEFAULT") &&
	    cli_exec_ok(db, "DROP SCHEMA " CODE_STAGE " CASCADE") &&
	    code_run_files(db, dir, files, nfiles) == 0 &&
	    cli_exec_ok(db, "DELETE FROM schema_code");
	for (i = 0; ok && i < nfiles; i++) {
		params[0] = files[i].name;
		params[1] = files[i].sha256;
		res = PQexecParams(db, "INSERT INTO schema_code "
		    "(filename, sha256) VALUES ($1, $2)",
		    2, NULL, params, NULL, NULL, 0);
		ok = PQresultStatus(res) == PGRES_COMMAND_OK;
		if (!ok)
			fprintf(stderr, "medexctl: %s", PQerrorMessage(db));
		PQclear(res);
	}
	if (ok)
		ok = cli_exec_ok(db, "COMMIT");
	else
		(void)cli_exec_ok(db, "ROLLBACK");
	return (ok ? 0 : -1);
}

/*
 * The sign-in policy (migration 0029) from medexctl.ini, the admin-only
 * file: the server's own config cannot lengthen sessions or drop the
 * second factor.  A key that is absent keeps the database's value; no
 * medexctl.ini (MEDEX_DB_URL alone) keeps them all.
 */
static int
apply_policy(PGconn *db)
{
	struct config	 cfg;
	PGresult	*res;
	const char	*params[3];
	int		 ret;

	if (getenv("MEDEX_DB_URL") != NULL)
		return (0);
	if (cli_ctl_config_open(&cfg) != 0)
		return (-1);
	params[0] = config_get(&cfg, "session_max");
	params[1] = config_get(&cfg, "session_idle");
	params[2] = config_get(&cfg, "mfa_required_roles");
	res = PQexecParams(db, "SELECT instance_policy_set($1, $2, $3)", 3,
	    NULL, params, NULL, NULL, 0);
	ret = 0;
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "medexctl: the sign-in policy in medexctl.ini: "
		    "%s", PQerrorMessage(db));
		ret = -1;
	}
	PQclear(res);
	config_free(&cfg);
	return (ret);
}

int
cli_migrate(int argc, char **argv)
{
	static struct migration	 files[MIGRATE_MAX], applied[MIGRATE_MAX];
	static struct migration	 code[MIGRATION_CODE_MAX];
	static struct migration	 recorded[MIGRATION_CODE_MAX];
	PGconn			*db;
	const char		*dir, *cdir;
	size_t			 nfiles, napplied, i, pending;
	size_t			 ncode, nrecorded, changed;
	char			 err[512], diff[4096];
	int			 check_only, ret;

	check_only = argc > 1 && strcmp(argv[1], "--check") == 0;
	ret = 1;
	if ((db = cli_db_connect()) == NULL)
		return (1);
	dir = migrations_dir();
	if (scan_files(dir, files, &nfiles) != 0)
		goto cleanup;
	cdir = code_dir();
	if (migration_code_scan(cdir, code, MIGRATION_CODE_MAX, &ncode, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "medexctl: %s; nothing was applied\n", err);
		goto cleanup;
	}

	if (!cli_exec_ok(db, "SET client_min_messages = warning") ||
	    !cli_exec_ok(db, "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")"))
		goto cleanup;
	if (!cli_exec_ok(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    "version integer PRIMARY KEY, filename text NOT NULL, "
	    "sha256 text NOT NULL, applied_at timestamptz NOT NULL "
	    "DEFAULT now())"))
		goto cleanup;
	if (!cli_exec_ok(db, "CREATE TABLE IF NOT EXISTS schema_code ("
	    "filename text PRIMARY KEY, sha256 text NOT NULL, "
	    "applied_at timestamptz NOT NULL DEFAULT now())"))
		goto cleanup;
	/* The server reads them through app_ready() (sql/boundary.sql). */
	if (load_applied(db, applied, &napplied) != 0 ||
	    load_code(db, recorded, &nrecorded) != 0)
		goto cleanup;
	if (migration_check(files, nfiles, applied, napplied, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "medexctl: %s; nothing was applied\n", err);
		goto cleanup;
	}
	changed = migration_code_diff(code, ncode, recorded, nrecorded, diff,
	    sizeof(diff));

	pending = nfiles - napplied;
	if (check_only) {
		printf("%zu applied, %zu pending\n", napplied, pending);
		if (changed > 0)
			printf("sql/ (%s): %s\n", cdir, diff);
		else
			printf("sql/ (%s): as the database runs it\n", cdir);
		ret = pending == 0 && changed == 0 ? 0 : 1;
		goto cleanup;
	}
	for (i = napplied; i < nfiles; i++) {
		if (apply_one(db, dir, &files[i]) != 0)
			goto cleanup;
	}
	printf("migrations up to date (%zu applied)\n", nfiles);
	if (changed == 0 && pending == 0) {
		printf("sql/ up to date (%zu files)\n", ncode);
	} else {
		if (apply_code(db, cdir, code, ncode) != 0)
			goto cleanup;
		printf("sql/ applied (%zu files)\n", ncode);
	}
	if (apply_policy(db) != 0)
		goto cleanup;
	ret = 0;

cleanup:
	PQfinish(db);
	return (ret);
}
