/*
 * TLS to a remote database (issue 20, finding 11): scripts/configure.sh
 * writes sslmode=verify-full with the CA of MEDEX_DB_SSLROOTCERT into
 * every conninfo whose host is not this machine (MEDEX_DB_HOSTS,
 * MEDEX_DB_READ_URL), and refuses, exit 1 with the reason and nothing
 * written (no config, no key), when there is no CA file.  Loopback needs none.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

static char	dir[256];

/* A state folder with what configure.sh reads; no medex.ini yet. */
static void
state_folder(void)
{
	char	cmd[8192];

	snprintf(dir, sizeof(dir), "%s/tls-state", getenv("MEDEX_DATA"));
	snprintf(cmd, sizeof(cmd), "rm -rf %s && mkdir -p %s/secrets && "
	    "echo 5432 > %s/pg.port && for s in db_app db_owner db_reader; do "
	    "echo %0*d > %s/secrets/$s; done && echo not-a-real-ca > %s/ca.pem",
	    dir, dir, dir, 64, 7, dir, dir);
	ck_assert_int_eq(t_run(cmd), 0);
}

/* configure.sh with env (VAR=value ...); its exit status. */
static int
configure(const char *env)
{
	char	cmd[8192];

	snprintf(cmd, sizeof(cmd), "rm -f %s/medex.ini %s/medexctl.ini && "
	    "env -u MEDEX_DB_HOSTS -u MEDEX_DB_READ_URL "
	    "-u MEDEX_DB_SSLROOTCERT %s scripts/configure.sh %s %s/none.so 1 "
	    ">%s/configure.out 2>&1", dir, dir, env, dir, dir, dir);
	return (t_run(cmd));
}

static char *
state_file(const char *name)
{
	char	path[600];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return (t_file(path));
}

/* The line of key in file, "" when none. */
static void
line_of(const char *file, const char *key, char *out, size_t len)
{
	char		*text, *p, *end;
	char		 want[64];

	text = state_file(file);
	snprintf(want, sizeof(want), "\n%s = ", key);
	out[0] = '\0';
	if ((p = strstr(text, want)) != NULL) {
		p++;
		end = p + strcspn(p, "\n");
		snprintf(out, len, "%.*s", (int)(end - p), p);
	}
	free(text);
}

START_TEST(loopback_needs_no_tls)
{
	char	line[2048];

	state_folder();
	ck_assert_int_eq(configure(""), 0);
	line_of("medex.ini", "db_app", line, sizeof(line));
	ck_assert_msg(strstr(line, "host=127.0.0.1 ") != NULL, "%s", line);
	ck_assert_msg(strstr(line, "sslmode") == NULL, "%s", line);
	ck_assert_int_eq(configure("MEDEX_DB_HOSTS=127.0.0.1:5432,"
	    "127.0.0.2:5433 MEDEX_DB_READ_URL='host=localhost port=5434'"), 0);
	line_of("medex.ini", "db_app", line, sizeof(line));
	ck_assert_msg(strstr(line, "sslmode") == NULL, "%s", line);
	line_of("medex.ini", "db_read", line, sizeof(line));
	ck_assert_msg(strstr(line, "sslmode") == NULL, "%s", line);
}
END_TEST

START_TEST(a_remote_host_without_a_ca_is_refused)
{
	char	*out, *ini, cmd[1024];

	state_folder();
	ck_assert_int_eq(configure("MEDEX_DB_HOSTS=db1.example.org:5432,"
	    "127.0.0.1:5432"), 1);
	out = state_file("configure.out");
	ck_assert_msg(strstr(out, "MEDEX_DB_HOSTS (db1.example.org) is not "
	    "on this machine: set MEDEX_DB_SSLROOTCERT") != NULL, "%s", out);
	free(out);
	ini = state_file("medex.ini");
	ck_assert_str_eq(ini, "");
	free(ini);
	snprintf(cmd, sizeof(cmd), "! ls %s/secrets/jwt-*.pem >/dev/null "
	    "2>&1 && ! test -e %s/medexctl.ini", dir, dir);
	ck_assert_int_eq(t_run(cmd), 0);
	ck_assert_int_eq(configure("MEDEX_DB_HOSTS=10.0.0.1:5432 "
	    "MEDEX_DB_SSLROOTCERT=/nonexistent/ca.pem"), 1);
	ck_assert_int_eq(configure("MEDEX_DB_READ_URL='host=10.0.0.2 "
	    "port=5432'"), 1);
	out = state_file("configure.out");
	ck_assert_msg(strstr(out, "MEDEX_DB_READ_URL (10.0.0.2) is not on "
	    "this machine") != NULL, "%s", out);
	free(out);
	ck_assert_int_eq(configure("MEDEX_DB_READ_URL='hostaddr=192.0.2.9 "
	    "port=5432'"), 1);
}
END_TEST

START_TEST(a_remote_host_gets_verify_full)
{
	char	line[2048], want[1024], env[1024];

	state_folder();
	/* A folder is not a CA file. */
	snprintf(env, sizeof(env), "MEDEX_DB_HOSTS=db1.example.org:5432 "
	    "MEDEX_DB_SSLROOTCERT=%s", dir);
	ck_assert_int_eq(configure(env), 1);
	snprintf(env, sizeof(env), "MEDEX_DB_HOSTS=db1.example.org:5432,"
	    "db2.example.org:5432 MEDEX_DB_READ_URL='host=10.0.0.2 port=5432' "
	    "MEDEX_DB_SSLROOTCERT=%s/ca.pem", dir);
	ck_assert_int_eq(configure(env), 0);
	snprintf(want, sizeof(want), " sslmode=verify-full sslrootcert=%s/"
	    "ca.pem", dir);
	line_of("medex.ini", "db_app", line, sizeof(line));
	ck_assert_msg(strstr(line, want) != NULL, "%s", line);
	ck_assert_msg(strstr(line, "host=db1.example.org,db2.example.org ")
	    != NULL, "%s", line);
	line_of("medex.ini", "db_read", line, sizeof(line));
	ck_assert_msg(strstr(line, want) != NULL, "%s", line);
	line_of("medexctl.ini", "db_owner", line, sizeof(line));
	ck_assert_msg(strstr(line, want) != NULL, "%s", line);
	line_of("medexctl.ini", "db_reader", line, sizeof(line));
	ck_assert_msg(strstr(line, want) != NULL, "%s", line);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("db_tls");
	tc = tcase_create("configure");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, loopback_needs_no_tls);
	tcase_add_test(tc, a_remote_host_without_a_ca_is_refused);
	tcase_add_test(tc, a_remote_host_gets_verify_full);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
