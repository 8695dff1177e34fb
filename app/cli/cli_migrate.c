/*
 * medexctl migrate [--check]: apply migrations/NNNN_name.sql in order,
 * each in its own transaction, recorded in schema_migrations with the
 * SHA-256 of the file.  An advisory lock keeps two runners from racing.
 * --check applies nothing and exits 1 when something is pending.
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

static char *
read_file(const char *path, size_t *lenp)
{
	FILE		*fp;
	char		*buf;
	long		 len;

	if ((fp = fopen(path, "rb")) == NULL)
		return (NULL);
	buf = NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (len = ftell(fp)) >= 0 &&
	    fseek(fp, 0, SEEK_SET) == 0 &&
	    (buf = calloc(1, (size_t)len + 1)) != NULL) {
		if (fread(buf, 1, (size_t)len, fp) != (size_t)len) {
			free(buf);
			buf = NULL;
		} else {
			*lenp = (size_t)len;
		}
	}
	fclose(fp);
	return (buf);
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
		if ((text = read_file(path, &len)) == NULL) {
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
	if ((text = read_file(path, &len)) == NULL) {
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

int
cli_migrate(int argc, char **argv)
{
	static struct migration	 files[MIGRATE_MAX], applied[MIGRATE_MAX];
	PGconn			*db;
	const char		*dir;
	size_t			 nfiles, napplied, i, pending;
	char			 err[512];
	int			 check_only, ret;

	check_only = argc > 1 && strcmp(argv[1], "--check") == 0;
	ret = 1;
	if ((db = cli_db_connect()) == NULL)
		return (1);
	dir = migrations_dir();
	if (scan_files(dir, files, &nfiles) != 0)
		goto cleanup;

	if (!cli_exec_ok(db, "SET client_min_messages = warning") ||
	    !cli_exec_ok(db, "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")"))
		goto cleanup;
	if (!cli_exec_ok(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    "version integer PRIMARY KEY, filename text NOT NULL, "
	    "sha256 text NOT NULL, applied_at timestamptz NOT NULL "
	    "DEFAULT now())") ||
	    !cli_exec_ok(db, "GRANT SELECT ON schema_migrations TO medex_app"))
		goto cleanup;
	if (load_applied(db, applied, &napplied) != 0)
		goto cleanup;
	if (migration_check(files, nfiles, applied, napplied, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "medexctl: %s; nothing was applied\n", err);
		goto cleanup;
	}

	pending = nfiles - napplied;
	if (check_only) {
		printf("%zu applied, %zu pending\n", napplied, pending);
		ret = pending == 0 ? 0 : 1;
		goto cleanup;
	}
	for (i = napplied; i < nfiles; i++) {
		if (apply_one(db, dir, &files[i]) != 0)
			goto cleanup;
	}
	printf("migrations up to date (%zu applied)\n", nfiles);
	ret = 0;

cleanup:
	PQfinish(db);
	return (ret);
}
