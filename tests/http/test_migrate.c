/*
 * medexctl migrate refuses an edited applied migration, a gap in the
 * numbering, and changes nothing when it refuses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
"	        'case_event_hash'))\n"
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
	suite_add_tcase(s, tc);
	return (t_main(s));
}
