/*
 * medexctl migrate refuses an edited applied migration, a gap in the
 * numbering, and changes nothing when it refuses.  The code of the
 * database (sql/) is defined there once, brings an existing database to
 * what a fresh one has, and is checked by --check and /readyz.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "migration.h"
#include "testlib.h"

static char	tmpdir[256];

static void
copy_migrations(void)
{
	char	cmd[1024];

	snprintf(tmpdir, sizeof(tmpdir), "%s/migrations-copy",
	    getenv("MEDEX_DATA"));
	snprintf(cmd, sizeof(cmd), "rm -rf %s && cp -r %s/migrations %s",
	    tmpdir, getenv("MEDEX_TEST_ROOT"), tmpdir);
	ck_assert_int_eq(t_run(cmd), 0);
}

static int
migrate_with_copy(const char *logname)
{
	char	cmd[2048];

	snprintf(cmd, sizeof(cmd), "MEDEX_MIGRATIONS=%s %s/medexctl migrate "
	    ">%s/%s 2>&1", tmpdir, getenv("MEDEX_TEST_OUT"),
	    getenv("MEDEX_DATA"), logname);
	return (t_run(cmd));
}

static int
log_contains(const char *logname, const char *needle)
{
	char	cmd[2048];

	snprintf(cmd, sizeof(cmd), "grep -qF -- '%s' %s/%s", needle,
	    getenv("MEDEX_DATA"), logname);
	return (t_run(cmd) == 0);
}

START_TEST(up_to_date_migrate_succeeds)
{
	copy_migrations();
	ck_assert_int_eq(migrate_with_copy("m0.log"), 0);
}
END_TEST

START_TEST(edited_applied_migration_is_refused_naming_the_file)
{
	PGconn	*db;
	char	*before, *after, cmd[1024];

	copy_migrations();
	db = t_db("db_owner");
	before = t_db_value(db, "SELECT string_agg(version || sha256, ',' "
	    "ORDER BY version) FROM schema_migrations");
	snprintf(cmd, sizeof(cmd), "echo '-- edited' >> "
	    "%s/0001_privileges.sql", tmpdir);
	ck_assert_int_eq(t_run(cmd), 0);
	/* A new, valid migration too: it must not be applied either. */
	snprintf(cmd, sizeof(cmd), "n=$(ls %s | wc -l); printf "
	    "'CREATE TABLE must_not_exist (x int);' > "
	    "%s/$(printf %%04d $((n + 1)))_extra.sql", tmpdir, tmpdir);
	ck_assert_int_eq(t_run(cmd), 0);
	ck_assert_int_ne(migrate_with_copy("m1.log"), 0);
	ck_assert(log_contains("m1.log", "0001_privileges.sql"));
	after = t_db_value(db, "SELECT string_agg(version || sha256, ',' "
	    "ORDER BY version) FROM schema_migrations");
	ck_assert_str_eq(before, after);
	free(after);
	after = t_db_value(db, "SELECT to_regclass('must_not_exist') "
	    "IS NULL");
	ck_assert_str_eq(after, "t");
	free(before);
	free(after);
	PQfinish(db);
}
END_TEST

START_TEST(missing_number_is_refused)
{
	char	cmd[1024];

	copy_migrations();
	snprintf(cmd, sizeof(cmd), "printf 'SELECT 1;' > %s/0099_gap.sql",
	    tmpdir);
	ck_assert_int_eq(t_run(cmd), 0);
	ck_assert_int_ne(migrate_with_copy("m2.log"), 0);
	ck_assert(log_contains("m2.log", "missing"));
}
END_TEST

START_TEST(failing_migration_applies_nothing_of_itself)
{
	PGconn	*db;
	char	 cmd[1024], *v;

	copy_migrations();
	snprintf(cmd, sizeof(cmd), "n=$(ls %s | wc -l); printf "
	    "'CREATE TABLE half_done (x int);\\nSELECT broken syntax here;' > "
	    "%s/$(printf %%04d $((n + 1)))_broken.sql", tmpdir, tmpdir);
	ck_assert_int_eq(t_run(cmd), 0);
	ck_assert_int_ne(migrate_with_copy("m3.log"), 0);
	ck_assert(log_contains("m3.log", "_broken.sql"));
	db = t_db("db_owner");
	v = t_db_value(db, "SELECT to_regclass('half_done') IS NULL");
	ck_assert_str_eq(v, "t");
	free(v);
	PQfinish(db);
}
END_TEST

/*
 * The one-expression SQL helpers must be inlined into the statements
 * that call them: one that is not runs through the SQL-function executor
 * for every row (0011_stable_helpers.sql: a case's trail took 1.4 ms
 * instead of 0.8).  PostgreSQL does not inline a function declared more
 * strictly than its body (IMMUTABLE over to_char(), say), so every SQL
 * function declared IMMUTABLE, and the helpers of the read path, are
 * called on columns of a subquery here and must not appear by name in
 * EXPLAIN's output.
 */
static const char inlined_sql[] =
"DO $$\n"
"DECLARE\n"
"	f	record;\n"
"	q	text;\n"
"	line	text;\n"
"	bad	text := '';\n"
"BEGIN\n"
"	FOR f IN SELECT p.proname, p.proargtypes::oid[] AS args\n"
"	    FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang\n"
"	    WHERE l.lanname = 'sql' AND NOT p.proretset\n"
"	      AND p.pronamespace = 'public'::regnamespace\n"
"	      AND (p.provolatile = 'i' OR p.proname IN ('rfc3339',\n"
"	        'case_event_json', 'office_json', 'case_event_canonical',\n"
"	        'case_event_hash', 'case_priority_json',\n"
"	        'case_urgent_release_json', 'case_event_purged_json'))\n"
"	LOOP\n"
"		SELECT format('SELECT %I(%s) FROM (SELECT %s OFFSET 0) s',\n"
"		    f.proname,\n"
"		    string_agg(format('s.a%s', i), ', ' ORDER BY i),\n"
"		    string_agg(format('NULL::%s AS a%s',\n"
"		        format_type(f.args[i], NULL), i), ', ' ORDER BY i))\n"
"		INTO q FROM generate_subscripts(f.args, 1) i;\n"
"		FOR line IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) ' || q LOOP\n"
"			IF line LIKE '%Output:%' AND\n"
"			    position(f.proname || '(' IN line) > 0 THEN\n"
"				bad := bad || ' ' || f.proname;\n"
"			END IF;\n"
"		END LOOP;\n"
"	END LOOP;\n"
"	IF bad <> '' THEN\n"
"		RAISE EXCEPTION 'not inlined:%', bad;\n"
"	END IF;\n"
"END\n"
"$$";

START_TEST(sql_helpers_are_inlined)
{
	PGconn		*db;
	PGresult	*res;

	db = t_db("db_owner");
	res = PQexec(db, inlined_sql);
	ck_assert_msg(PQresultStatus(res) == PGRES_COMMAND_OK, "%s",
	    PQerrorMessage(db));
	PQclear(res);
	PQfinish(db);
}
END_TEST

/* Every function of schema public but those of extensions. */
static const char functions_sql[] =
    "SELECT coalesce(string_agg(p.oid::regprocedure::text || E'\\n' || "
    "pg_get_functiondef(p.oid) || E'\\n' || coalesce(p.proacl::text, '-'), "
    "E'\\n----\\n' ORDER BY p.oid::regprocedure::text COLLATE \"C\"), '') "
    "FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace "
    "AND NOT EXISTS (SELECT 1 FROM pg_depend d "
    "WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid "
    "AND d.deptype = 'e')";

/* A scratch database set up as scripts/pg.sh sets up medex. */
static void
scratch_create(const char *name)
{
	PGconn	*su;
	char	 sql[256];

	su = t_db_super("postgres");
	/* Names are this file's constants, not values. */
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", name);
	ck_assert_int_eq(t_db_exec(su, sql, NULL, 0), 0);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s OWNER medex_owner "
	    "ENCODING 'UTF8' TEMPLATE template0", name);
	ck_assert_int_eq(t_db_exec(su, sql, NULL, 0), 0);
	PQfinish(su);
	su = t_db_super(name);
	ck_assert_int_eq(t_db_exec(su, "REVOKE CREATE ON SCHEMA public "
	    "FROM PUBLIC", NULL, 0), 0);
	PQfinish(su);
}

static void
scratch_drop(const char *name)
{
	PGconn	*su;
	char	 sql[256];

	su = t_db_super("postgres");
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", name);
	ck_assert_int_eq(t_db_exec(su, sql, NULL, 0), 0);
	PQfinish(su);
}

/* The owner's connection string of medexctl.ini, for another database. */
static void
scratch_conninfo(const char *name, char *ci, size_t len)
{
	struct config	 cfg;
	char		 path[512], err[256];
	const char	*v;

	snprintf(path, sizeof(path), "%s/medexctl.ini", getenv("MEDEX_DATA"));
	ck_assert_int_eq(config_load(&cfg, path, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(v = config_get(&cfg, "db_owner"));
	/* libpq takes the last of a repeated keyword. */
	snprintf(ci, len, "%s dbname=%s", v, name);
	config_free(&cfg);
}

static int
medexctl_on(const char *name, const char *args, const char *logname)
{
	char	ci[1024], cmd[2048];
	int	rc;

	scratch_conninfo(name, ci, sizeof(ci));
	setenv("MEDEX_DB_URL", ci, 1);
	snprintf(cmd, sizeof(cmd), "%s/medexctl %s >%s/%s 2>&1",
	    getenv("MEDEX_TEST_OUT"), args, getenv("MEDEX_DATA"), logname);
	rc = t_run(cmd);
	unsetenv("MEDEX_DB_URL");
	return (rc);
}

/*
 * What an existing install holds: migrations/ applied as medexctl did
 * before sql/ existed, each in its own transaction and recorded in
 * schema_migrations with its SHA-256, and no schema_code.
 */
static void
migrate_as_before_sql(PGconn *db)
{
	struct migration	 m[64];
	char			 path[512], version[16], *text;
	const char		*params[3];
	size_t			 n, i;
	FILE			*fp;

	ck_assert_int_eq(t_db_exec(db, "CREATE TABLE schema_migrations ("
	    "version integer PRIMARY KEY, filename text NOT NULL, "
	    "sha256 text NOT NULL, applied_at timestamptz NOT NULL "
	    "DEFAULT now()); GRANT SELECT ON schema_migrations TO medex_app",
	    NULL, 0), 0);
	snprintf(path, sizeof(path), "ls %s/migrations",
	    getenv("MEDEX_TEST_ROOT"));
	ck_assert_ptr_nonnull(fp = popen(path, "r"));
	n = 0;
	while (n < 64 && fgets(m[n].name, sizeof(m[n].name), fp) != NULL) {
		m[n].name[strcspn(m[n].name, "\n")] = '\0';
		if ((m[n].version = migration_name_version(m[n].name)) > 0)
			n++;
	}
	pclose(fp);
	migration_sort(m, n);
	ck_assert_uint_ge(n, 14);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/migrations/%s",
		    getenv("MEDEX_TEST_ROOT"), m[i].name);
		text = t_file(path);
		migration_sha256_hex((unsigned char *)text, strlen(text),
		    m[i].sha256);
		ck_assert_int_eq(t_db_exec(db, "BEGIN", NULL, 0), 0);
		ck_assert_msg(t_db_exec(db, text, NULL, 0) == 0, "%s: %s",
		    m[i].name, PQerrorMessage(db));
		snprintf(version, sizeof(version), "%d", m[i].version);
		params[0] = version;
		params[1] = m[i].name;
		params[2] = m[i].sha256;
		ck_assert_int_eq(t_db_exec_p(db, "INSERT INTO schema_migrations "
		    "(version, filename, sha256) VALUES ($1, $2, $3)", 3,
		    params), 0);
		ck_assert_int_eq(t_db_exec(db, "COMMIT", NULL, 0), 0);
		free(text);
	}
}

/*
 * An install migrated before sql/ existed, upgraded by medexctl
 * migrate, ends with exactly the functions (definition and privileges)
 * of a database that medexctl built from nothing.
 */
START_TEST(upgraded_database_has_the_functions_of_a_fresh_one)
{
	PGconn	*db;
	char	 ci[1024], *old, *fresh, *o, *f;
	size_t	 i, line;

	scratch_create("medex_t_upgraded");
	scratch_create("medex_t_fresh");
	scratch_conninfo("medex_t_upgraded", ci, sizeof(ci));
	db = PQconnectdb(ci);
	ck_assert_int_eq(PQstatus(db), CONNECTION_OK);
	migrate_as_before_sql(db);
	o = t_db_value(db, "SELECT to_regclass('schema_code') IS NULL");
	ck_assert_str_eq(o, "t");
	free(o);
	ck_assert_int_eq(medexctl_on("medex_t_upgraded", "migrate",
	    "up.log"), 0);
	ck_assert_int_eq(medexctl_on("medex_t_fresh", "migrate",
	    "fresh.log"), 0);
	ck_assert_int_eq(medexctl_on("medex_t_upgraded", "migrate --check",
	    "up-check.log"), 0);
	old = t_db_value(db, functions_sql);
	PQfinish(db);
	scratch_conninfo("medex_t_fresh", ci, sizeof(ci));
	db = PQconnectdb(ci);
	ck_assert_int_eq(PQstatus(db), CONNECTION_OK);
	fresh = t_db_value(db, functions_sql);
	PQfinish(db);
	ck_assert_uint_gt(strlen(fresh), 1000);
	if (strcmp(old, fresh) != 0) {
		line = 1;
		for (i = 0; old[i] == fresh[i]; i++)
			line += old[i] == '\n';
		o = strndup(old + i, 120);
		f = strndup(fresh + i, 120);
		ck_abort_msg("upgraded and fresh differ at line %zu:\n"
		    "upgraded: %s\nfresh: %s", line, o, f);
	}
	free(old);
	free(fresh);
	scratch_drop("medex_t_upgraded");
	scratch_drop("medex_t_fresh");
}
END_TEST

/*
 * Each function of the database is defined in sql/, once (an overload
 * counts once per definition), and no migration after 0014 creates one:
 * migrations hold tables and data, sql/ the code.
 */
START_TEST(every_function_is_defined_once_in_sql)
{
	PGconn		*db;
	FILE		*fp;
	char		 path[1024], line[2600], fname[256], name[128];
	char		*order, *text, *p;
	char		*l, *next, *want, *have, *names;
	size_t		 len, k, used;

	snprintf(path, sizeof(path), "%s/sql/ORDER",
	    getenv("MEDEX_TEST_ROOT"));
	order = t_file(path);
	names = calloc(1, 65536);
	used = 0;
	for (l = order; l != NULL && *l != '\0'; l = next) {
		if ((next = strchr(l, '\n')) != NULL)
			*next++ = '\0';
		if (*l == '#' || *l == '\0')
			continue;
		snprintf(path, sizeof(path), "%s/sql/%s",
		    getenv("MEDEX_TEST_ROOT"), l);
		text = t_file(path);
		ck_assert_msg(*text != '\0', "%s is empty or missing", l);
		for (p = text; p != NULL && *p != '\0';
		    p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
			while (*p == ' ' || *p == '\t')
				p++;
			ck_assert_msg(strncasecmp(p, "CREATE FUNCTION", 15) &&
			    strncasecmp(p, "CREATE PROCEDURE", 16), "%s: "
			    "CREATE without OR REPLACE cannot be applied again",
			    l);
			if (strncasecmp(p, "CREATE OR REPLACE FUNCTION ", 27) &&
			    strncasecmp(p, "CREATE OR REPLACE PROCEDURE ", 28))
				continue;
			p += toupper((unsigned char)p[18]) == 'F' ? 27 : 28;
			for (len = 0; len < sizeof(name) - 1 &&
			    (isalnum((unsigned char)p[len]) || p[len] == '_');
			    len++)
				name[len] = tolower((unsigned char)p[len]);
			name[len] = '\0';
			ck_assert_msg(p[len] == '(', "%s: %.40s: not an "
			    "unqualified name followed by (", l, p);
			used += (size_t)snprintf(names + used, 65536 - used,
			    "%s %s\n", name, l);
		}
		free(text);
	}
	free(order);

	/* "name file", one line a definition, sorted. */
	snprintf(path, sizeof(path), "%s/sql-names", getenv("MEDEX_DATA"));
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	fputs(names, fp);
	fclose(fp);
	free(names);
	snprintf(line, sizeof(line), "LC_ALL=C sort -o %s %s", path, path);
	ck_assert_int_eq(t_run(line), 0);
	names = t_file(path);
	/* One name a definition, overloads included, as pg_proc has them. */
	want = calloc(1, strlen(names) + 1);
	used = 0;
	for (l = names; *l != '\0'; l = strchr(l, '\n') + 1) {
		k = strcspn(l, " ");
		memcpy(want + used, l, k);
		used += k;
		want[used++] = '\n';
	}
	db = t_db("db_owner");
	have = t_db_value(db, "SELECT coalesce(string_agg(p.proname || "
	    "E'\\n', '' ORDER BY p.proname COLLATE \"C\"), '') "
	    "FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace "
	    "AND NOT EXISTS (SELECT 1 FROM pg_depend d "
	    "WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid "
	    "AND d.deptype = 'e')");
	ck_assert_str_eq(want, have);
	free(have);
	free(want);
	PQfinish(db);
	/* A name in two files: one of them is a stale copy. */
	snprintf(line, sizeof(line), "LC_ALL=C sort -u %s | cut -d' ' -f1 | "
	    "uniq -d | grep -q .", path);
	ck_assert_msg(t_run(line) != 0, "a function is defined in two files "
	    "of sql/:\n%s", names);
	free(names);

	snprintf(path, sizeof(path), "ls %s/migrations",
	    getenv("MEDEX_TEST_ROOT"));
	ck_assert_ptr_nonnull(fp = popen(path, "r"));
	while (fgets(fname, sizeof(fname), fp) != NULL) {
		fname[strcspn(fname, "\n")] = '\0';
		if (migration_name_version(fname) <= 14)
			continue;
		snprintf(path, sizeof(path), "%s/migrations/%s",
		    getenv("MEDEX_TEST_ROOT"), fname);
		text = t_file(path);
		for (p = text; *p != '\0'; p++)
			*p = toupper((unsigned char)*p);
		ck_assert_msg(strstr(text, "CREATE FUNCTION") == NULL &&
		    strstr(text, "CREATE OR REPLACE FUNCTION") == NULL &&
		    strstr(text, "CREATE PROCEDURE") == NULL &&
		    strstr(text, "CREATE OR REPLACE PROCEDURE") == NULL,
		    "%s defines a function: functions live in sql/", fname);
		free(text);
	}
	pclose(fp);
}
END_TEST

static char	sqlcopy[256];

static int
medexctl_sql(const char *dir, const char *args, const char *logname)
{
	char	cmd[2048];

	snprintf(cmd, sizeof(cmd), "MEDEX_SQL=%s %s/medexctl %s >%s/%s 2>&1",
	    dir, getenv("MEDEX_TEST_OUT"), args, getenv("MEDEX_DATA"),
	    logname);
	return (t_run(cmd));
}

/* A copy of sql/ with one byte of pages.sql changed (in a comment). */
static void
copy_sql_changed(void)
{
	char	cmd[4096];

	snprintf(sqlcopy, sizeof(sqlcopy), "%s/sql-copy", getenv("MEDEX_DATA"));
	snprintf(cmd, sizeof(cmd), "rm -rf %s && cp -r %s/sql %s && "
	    "sed -i '1s/What/what/' %s/pages.sql && ! cmp -s %s/sql/pages.sql "
	    "%s/pages.sql", sqlcopy, getenv("MEDEX_TEST_ROOT"), sqlcopy,
	    sqlcopy, getenv("MEDEX_TEST_ROOT"), sqlcopy);
	ck_assert_int_eq(t_run(cmd), 0);
}

START_TEST(check_names_a_changed_sql_file_until_migrated)
{
	char	real[512];

	snprintf(real, sizeof(real), "%s/sql", getenv("MEDEX_TEST_ROOT"));
	copy_sql_changed();
	ck_assert_int_eq(medexctl_sql(real, "migrate --check", "c0.log"), 0);
	ck_assert_int_eq(medexctl_sql(sqlcopy, "migrate --check", "c1.log"),
	    1);
	ck_assert(log_contains("c1.log", "pages.sql differs"));
	ck_assert(!log_contains("c1.log", "auth.sql"));
	ck_assert_int_eq(medexctl_sql(sqlcopy, "migrate", "c2.log"), 0);
	ck_assert(log_contains("c2.log", "sql/ applied"));
	ck_assert_int_eq(medexctl_sql(sqlcopy, "migrate --check", "c3.log"),
	    0);
	/* Nothing changed: nothing is applied again. */
	ck_assert_int_eq(medexctl_sql(sqlcopy, "migrate", "c4.log"), 0);
	ck_assert(log_contains("c4.log", "sql/ up to date"));
	/* The tree's own sql/ again, for the server and the other tests. */
	ck_assert_int_eq(medexctl_sql(real, "migrate --check", "c5.log"), 1);
	ck_assert(log_contains("c5.log", "pages.sql differs"));
	ck_assert_int_eq(medexctl_sql(real, "migrate", "c6.log"), 0);
	ck_assert_int_eq(medexctl_sql(real, "migrate --check", "c7.log"), 0);
}
END_TEST

START_TEST(readyz_is_503_while_the_database_runs_other_code)
{
	PGconn		*db;
	struct t_resp	 r;
	json_t		*v;
	const char	*params[2];
	char		 real[512];

	db = t_db("db_owner");
	params[0] = "0000000000000000000000000000000000000000000000000000000000000000";
	params[1] = "cases_read.sql";
	ck_assert_int_eq(t_db_exec_p(db, "UPDATE schema_code SET sha256 = $1 "
	    "WHERE filename = $2", 2, params), 0);
	PQfinish(db);
	t_get("/readyz", NULL, &r);
	t_assert_error(&r, 503, "unavailable");
	v = json_object_get(json_object_get(json_object_get(r.json, "error"),
	    "fields"), "sql");
	ck_assert_msg(json_is_string(v) &&
	    strcmp(json_string_value(v), "pending") == 0, "%s", r.body);
	ck_assert_ptr_null(json_object_get(json_object_get(json_object_get(
	    r.json, "error"), "fields"), "migrations"));
	t_resp_free(&r);

	snprintf(real, sizeof(real), "%s/sql", getenv("MEDEX_TEST_ROOT"));
	ck_assert_int_eq(medexctl_sql(real, "migrate", "r0.log"), 0);
	t_get("/readyz", NULL, &r);
	ck_assert_int_eq(r.status, 200);
	t_resp_free(&r);
}
END_TEST

/*
 * A function whose return type or parameters' names changed cannot be
 * replaced: medexctl drops it first, and says so.
 */
START_TEST(changed_signature_is_dropped_and_created_again)
{
	PGconn	*db;
	char	 cmd[4096], real[512], *v;

	snprintf(real, sizeof(real), "%s/sql", getenv("MEDEX_TEST_ROOT"));
	snprintf(sqlcopy, sizeof(sqlcopy), "%s/sql-sig", getenv("MEDEX_DATA"));
	snprintf(cmd, sizeof(cmd), "rm -rf %s && cp -r %s %s && printf "
	    "'CREATE OR REPLACE FUNCTION t_probe(p_a integer)\\nRETURNS "
	    "integer LANGUAGE sql AS $$ SELECT p_a $$;\\n' >> %s/helpers.sql",
	    sqlcopy, real, sqlcopy, sqlcopy);
	ck_assert_int_eq(t_run(cmd), 0);
	ck_assert_int_eq(medexctl_sql(sqlcopy, "migrate", "s0.log"), 0);
	snprintf(cmd, sizeof(cmd), "sed -i 's/t_probe(p_a integer)/"
	    "t_probe(p_b integer)/; s/^RETURNS integer LANGUAGE sql AS "
	    "\\$\\$ SELECT p_a/RETURNS text LANGUAGE sql AS $$ "
	    "SELECT p_b::text/' "
	    "%s/helpers.sql", sqlcopy);
	ck_assert_int_eq(t_run(cmd), 0);
	ck_assert_int_eq(medexctl_sql(sqlcopy, "migrate", "s1.log"), 0);
	ck_assert(log_contains("s1.log", "dropped public.t_probe(integer)"));
	db = t_db("db_owner");
	v = t_db_value(db, "SELECT t_probe(7) || ' ' || "
	    "pg_typeof(t_probe(7))::text");
	ck_assert_str_eq(v, "7 text");
	free(v);
	/* A body that does not parse fails migrate, naming the function. */
	snprintf(cmd, sizeof(cmd), "sed -i 's/SELECT p_b::text/SELECT "
	    "p_b::text FROM/' %s/helpers.sql", sqlcopy);
	ck_assert_int_eq(t_run(cmd), 0);
	ck_assert_int_ne(medexctl_sql(sqlcopy, "migrate", "s2.log"), 0);
	ck_assert(log_contains("s2.log", "t_probe(integer)"));
	v = t_db_value(db, "SELECT t_probe(7)");
	ck_assert_str_eq(v, "7");
	free(v);
	/* Not in sql/ any more: only a migration may drop it. */
	ck_assert_int_eq(t_db_exec(db, "DROP FUNCTION t_probe(integer)",
	    NULL, 0), 0);
	PQfinish(db);
	ck_assert_int_eq(medexctl_sql(real, "migrate", "s3.log"), 0);
	ck_assert_int_eq(medexctl_sql(real, "migrate --check", "s4.log"), 0);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("migrate");
	tc = tcase_create("cli");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, up_to_date_migrate_succeeds);
	tcase_add_test(tc, edited_applied_migration_is_refused_naming_the_file);
	tcase_add_test(tc, missing_number_is_refused);
	tcase_add_test(tc, failing_migration_applies_nothing_of_itself);
	tcase_add_test(tc, sql_helpers_are_inlined);
	tcase_add_test(tc, upgraded_database_has_the_functions_of_a_fresh_one);
	tcase_add_test(tc, every_function_is_defined_once_in_sql);
	tcase_add_test(tc, check_names_a_changed_sql_file_until_migrated);
	tcase_add_test(tc, readyz_is_503_while_the_database_runs_other_code);
	tcase_add_test(tc, changed_signature_is_dropped_and_created_again);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
