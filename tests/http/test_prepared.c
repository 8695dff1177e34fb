/*
 * Prepared statements per connection (issue 21, app/http/db_prepared.c).
 * PostgreSQL's own statement log (log_statement = all, turned on here
 * for the test's cluster) names what each call executed: "execute
 * medex_<hash>_<length>" for a prepared statement, "execute <unnamed>"
 * for one sent unprepared.  Then every medex backend is killed: later
 * requests are still answered 200, on statements prepared again.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"

#define OFFICE		"PREP"
#define CROWD		16
/* A read alone, or reads that waited together (api_case_get_batch). */
#define READ_SQL	"SELECT * FROM api_case_get"

static struct t_session	officer, me;
static char		case_id[32];

static void
su_exec(const char *sql)
{
	PGconn	*su;

	su = t_db_super("medex");
	ck_assert_msg(t_db_exec(su, sql, NULL, 0) == 0, "%s", sql);
	PQfinish(su);
}

static void
setup(void)
{
	struct t_resp	r;

	t_user("prep.officer", "officer", OFFICE);
	t_user("prep.me", "medical_examiner", OFFICE);
	t_login_ok("prep.officer", &officer);
	t_login_ok("prep.me", &me);
	if (case_id[0] != '\0')
		return;
	t_post_json("/api/v1/cases", officer.bearer, "{\"given_name\":\"Ada\","
	    "\"family_name\":\"Prepared\",\"date_of_birth\":\"1936-04-02\","
	    "\"sex\":\"female\",\"date_of_death\":\"2026-11-20\","
	    "\"place_of_death\":\"hospital\",\"attending_practitioner\":"
	    "{\"name\":\"Dr B Lee\",\"gmc_number\":\"7654321\"}}", &r);
	ck_assert_msg(r.status == 201, "create: %ld %.1500s", r.status,
	    r.body);
	snprintf(case_id, sizeof(case_id), "%s", t_json_str(&r, "id"));
	t_resp_free(&r);
}

/* The statement log on or off; the backends see it at their next call. */
static void
statement_log(int on)
{
	su_exec(on ? "ALTER SYSTEM SET log_statement = 'all'" :
	    "ALTER SYSTEM RESET log_statement");
	su_exec("SELECT pg_reload_conf()");
	usleep(300000);
}

static off_t
log_size(void)
{
	struct stat	st;
	char		path[512];

	snprintf(path, sizeof(path), "%s/pg.log", getenv("MEDEX_DATA"));
	ck_assert_int_eq(stat(path, &st), 0);
	return (st.st_size);
}

/* Case reads the log shows since offset from, by name and unnamed. */
static void
log_count(off_t from, long *named, long *unnamed)
{
	FILE	*f;
	char	 path[512], line[8192], *p;

	*named = *unnamed = 0;
	snprintf(path, sizeof(path), "%s/pg.log", getenv("MEDEX_DATA"));
	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	ck_assert_int_eq(fseeko(f, from, SEEK_SET), 0);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strstr(line, READ_SQL) == NULL ||
		    (p = strstr(line, "execute ")) == NULL)
			continue;
		if (strncmp(p, "execute medex_", 14) == 0)
			(*named)++;
		else if (strncmp(p, "execute <unnamed>", 17) == 0)
			(*unnamed)++;
	}
	fclose(f);
}

static void *
read_main(void *arg)
{
	struct t_resp	 r;
	long		*status = arg;
	char		 path[128];

	snprintf(path, sizeof(path), "/api/v1/cases/%s", case_id);
	t_get(path, me.bearer, &r);
	*status = r.status;
	t_resp_free(&r);
	return (NULL);
}

/* CROWD reads at once, so that every pooled connection is used. */
static void
crowd_reads(const char *what)
{
	pthread_t	t[CROWD];
	long		status[CROWD];
	int		i;

	for (i = 0; i < CROWD; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, read_main,
		    &status[i]), 0);
	for (i = 0; i < CROWD; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < CROWD; i++)
		ck_assert_msg(status[i] == 200, "%s: read %d answered %ld",
		    what, i, status[i]);
}

START_TEST(case_reads_go_by_name)
{
	off_t	from;
	long	named, unnamed;

	crowd_reads("warm");
	statement_log(1);
	from = log_size();
	crowd_reads("logged");
	crowd_reads("logged again");
	statement_log(0);
	log_count(from, &named, &unnamed);
	/* Each crowd's reads in one statement or more (db_batch.c). */
	ck_assert_msg(named >= 2 && unnamed == 0, "case reads in "
	    "the statement log: %ld by name, %ld unnamed", named, unnamed);
}
END_TEST

START_TEST(killed_backends_break_nothing)
{
	off_t	from;
	long	named, unnamed;
	int	round;

	crowd_reads("before");
	su_exec("SELECT count(pg_terminate_backend(pid)) FROM "
	    "pg_stat_activity WHERE application_name = 'medex'");
	statement_log(1);
	from = log_size();
	for (round = 0; round < 3; round++)
		crowd_reads("after the kill");
	statement_log(0);
	log_count(from, &named, &unnamed);
	ck_assert_msg(named >= 3, "prepared again after the kill: "
	    "%ld by name, %ld unnamed", named, unnamed);
}
END_TEST

static void
teardown(void)
{
	su_exec("ALTER SYSTEM RESET log_statement");
	su_exec("SELECT pg_reload_conf()");
}

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("prepared");
	tc = tcase_create("db");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, case_reads_go_by_name);
	tcase_add_test(tc, killed_backends_break_nothing);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
