/*
 * Separate credentials (issue 20, finding 7, "the server holds the
 * owner's password"): the server's medex.ini holds only medex_app's
 * conninfo; the owner's is in medexctl.ini (0600), which only medexctl
 * reads; medexctl's read-only commands (audit verify, audit checkpoint,
 * export) connect as medex_reader, which can read and nothing else.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

static char *
data_file(const char *name)
{
	char	 path[512];
	char	*text;

	snprintf(path, sizeof(path), "%s/%s", getenv("MEDEX_DATA"), name);
	text = t_file(path);
	ck_assert_msg(text != NULL, "cannot read %s", path);
	return (text);
}

/* The secret in secrets/NAME, without its newline. */
static char *
secret(const char *name)
{
	char	 path[64];
	char	*s;

	snprintf(path, sizeof(path), "secrets/%s", name);
	s = data_file(path);
	s[strcspn(s, "\n")] = '\0';
	ck_assert_uint_eq(strlen(s), 64);
	return (s);
}

START_TEST(the_servers_config_has_no_owner_password)
{
	struct stat	 st;
	char		 path[512];
	char		*ini, *ctl, *owner, *reader, *app;

	ini = data_file("medex.ini");
	ctl = data_file("medexctl.ini");
	owner = secret("db_owner");
	reader = secret("db_reader");
	app = secret("db_app");
	ck_assert_ptr_null(strstr(ini, owner));
	ck_assert_ptr_null(strstr(ini, reader));
	ck_assert_ptr_null(strstr(ini, "medex_owner"));
	ck_assert_ptr_null(strstr(ini, "db_owner"));
	ck_assert_ptr_nonnull(strstr(ini, app));
	ck_assert_ptr_nonnull(strstr(ctl, owner));
	ck_assert_ptr_nonnull(strstr(ctl, "user=medex_reader"));
	ck_assert_ptr_null(strstr(ctl, app));
	snprintf(path, sizeof(path), "%s/medexctl.ini", getenv("MEDEX_DATA"));
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	free(ini);
	free(ctl);
	free(owner);
	free(reader);
	free(app);
}
END_TEST

START_TEST(the_reader_reads_and_writes_nothing)
{
	PGconn	*db;
	char	 state[8];
	char	*v;

	db = t_db("db_reader");
	v = t_db_value(db, "SELECT current_user");
	ck_assert_str_eq(v, "medex_reader");
	free(v);
	ck_assert_int_eq(t_db_exec(db, "SELECT (SELECT count(*) FROM offices) + (SELECT count(*) FROM "
	    "cases) + (SELECT count(*) FROM case_events)", NULL, 0), 0);
	/* Read-only by its grants, not only by its session's default. */
	ck_assert_int_eq(t_db_exec(db, "SET default_transaction_read_only = "
	    "off", NULL, 0), 0);
	ck_assert_int_eq(t_db_exec(db, "UPDATE offices SET name = name",
	    state, sizeof(state)), -1);
	ck_assert_str_eq(state, "42501");
	ck_assert_int_eq(t_db_exec(db, "DELETE FROM case_events", state,
	    sizeof(state)), -1);
	ck_assert_str_eq(state, "42501");
	/* Of the users, who they are (audit verify compares a record's
	 * author with its event's actor, migration 0032), not their
	 * passwords or roles. */
	ck_assert_int_eq(t_db_exec(db, "SELECT id, username FROM users", NULL,
	    0), 0);
	ck_assert_int_eq(t_db_exec(db, "SELECT password_hash FROM users",
	    state, sizeof(state)), -1);
	ck_assert_str_eq(state, "42501");
	ck_assert_int_eq(t_db_exec(db, "SELECT * FROM users", state,
	    sizeof(state)), -1);
	ck_assert_str_eq(state, "42501");
	ck_assert_int_eq(t_db_exec(db, "SELECT count(*) FROM sessions", state,
	    sizeof(state)), -1);
	ck_assert_str_eq(state, "42501");
	ck_assert_int_eq(t_db_exec(db, "CREATE OR REPLACE FUNCTION "
	    "case_event_canonical(bigint, integer, timestamptz, text, text, "
	    "text, jsonb) RETURNS text LANGUAGE sql AS 'SELECT ''x'''", state,
	    sizeof(state)), -1);
	ck_assert_str_eq(state, "42501");
	PQfinish(db);
}
END_TEST

/*
 * With the owner's line broken, the read-only commands still work (they
 * never use it) and an owner's command does not.
 */
START_TEST(read_only_commands_connect_as_the_reader)
{
	char	 cmd[2048], path[512];

	snprintf(path, sizeof(path), "%s/ctl-reader-only.ini",
	    getenv("MEDEX_DATA"));
	snprintf(cmd, sizeof(cmd), "sed 's/^db_owner = .*/db_owner = "
	    "host=127.0.0.1 port=1 dbname=none/' %s/medexctl.ini > %s",
	    getenv("MEDEX_DATA"), path);
	ck_assert_int_eq(t_run(cmd), 0);
	t_user("cr.officer", "officer", "CR");
	setenv("MEDEX_CTL_CONFIG", path, 1);
	snprintf(cmd, sizeof(cmd), "%s/medexctl audit verify >/dev/null",
	    getenv("MEDEX_TEST_OUT"));
	ck_assert_int_eq(t_run(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/medexctl export --month 2026-11 "
	    "--office CR >/dev/null", getenv("MEDEX_TEST_OUT"));
	ck_assert_int_eq(t_run(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/medexctl migrate --check "
	    ">/dev/null 2>&1", getenv("MEDEX_TEST_OUT"));
	ck_assert_int_ne(t_run(cmd), 0);
	unsetenv("MEDEX_CTL_CONFIG");
	ck_assert_int_eq(t_run(cmd), 0);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("credentials");
	tc = tcase_create("credentials");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, the_servers_config_has_no_owner_password);
	tcase_add_test(tc, the_reader_reads_and_writes_nothing);
	tcase_add_test(tc, read_only_commands_connect_as_the_reader);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
