/*
 * PostgreSQL going away: /readyz says 503 `unavailable` with Retry-After
 * at once, /healthz stays 200, and when PostgreSQL returns the same Kore
 * process is ready again by itself.  Once it is back, no request is
 * answered 503 because it took a connection that died in the restart.
 * A connection lost in the middle of a query is answered 503 too, and
 * the worker holding it lives on.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

static int
pg(const char *what)
{
	char	cmd[1024];

	snprintf(cmd, sizeof(cmd), "%s/scripts/pg.sh %s %s >/dev/null",
	    getenv("MEDEX_TEST_ROOT"), what, getenv("MEDEX_DATA"));
	return (t_run(cmd));
}

START_TEST(readyz_follows_the_database_and_healthz_does_not)
{
	struct t_resp	 r;
	char		*ra;
	time_t		 t0;
	int		 i, ready;

	ck_assert_int_eq(pg("stop"), 0);
	for (i = 0; i < 3; i++) {
		t0 = time(NULL);
		t_get("/readyz", NULL, &r);
		ck_assert_msg(time(NULL) - t0 <= 2, "readyz took too long");
		t_assert_error(&r, 503, "unavailable");
		ra = t_header(&r, "retry-after");
		ck_assert_ptr_nonnull(ra);
		free(ra);
		t_resp_free(&r);
		t_get("/healthz", NULL, &r);
		ck_assert_int_eq(r.status, 200);
		t_resp_free(&r);
	}

	ck_assert_int_eq(pg("start"), 0);
	ready = 0;
	for (i = 0; i < 50 && !ready; i++) {
		t_get("/readyz", NULL, &r);
		ck_assert_msg(r.status == 200 || r.status == 503,
		    "status %ld", r.status);
		ready = r.status == 200;
		t_resp_free(&r);
		if (!ready)
			usleep(100000);
	}
	ck_assert_msg(ready, "not ready again after PostgreSQL returned");
}
END_TEST

#define CROWD	24

static struct t_session	reader;

static void *
crowd_main(void *arg)
{
	struct t_resp	 r;
	long		*status = arg;

	t_get("/api/v1/cases?limit=5", reader.bearer, &r);
	*status = r.status;
	t_resp_free(&r);
	return (NULL);
}

/* CROWD requests at once, so that every pooled connection is used. */
static void
crowd(long *status)
{
	pthread_t	t[CROWD];
	int		i;

	for (i = 0; i < CROWD; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, crowd_main,
		    &status[i]), 0);
	for (i = 0; i < CROWD; i++)
		pthread_join(t[i], NULL);
}

START_TEST(no_503_from_connections_that_died_in_a_restart)
{
	struct t_resp	r;
	long		status[CROWD];
	int		i, round;

	t_user("outage.lead", "lead_medical_examiner", "OUTAGE");
	t_login_ok("outage.lead", &reader);
	crowd(status);
	for (i = 0; i < CROWD; i++)
		ck_assert_int_eq(status[i], 200);

	/* Every connection of the pool is now open, and dies here. */
	ck_assert_int_eq(pg("stop"), 0);
	ck_assert_int_eq(pg("start"), 0);

	for (round = 0; round < 3; round++) {
		crowd(status);
		for (i = 0; i < CROWD; i++)
			ck_assert_msg(status[i] == 200, "round %d, request %d: "
			    "%ld after PostgreSQL was back", round, i,
			    status[i]);
	}
	for (i = 0; i < 10; i++) {
		t_get("/readyz", NULL, &r);
		ck_assert_int_eq(r.status, 200);
		t_resp_free(&r);
	}
}
END_TEST

static void *
held_read_main(void *arg)
{
	struct t_resp	 r;
	long		*status = arg;

	t_get("/readyz", NULL, &r);
	*status = r.status;
	if (r.status == 503)
		t_assert_error(&r, 503, "unavailable");
	t_resp_free(&r);
	return (NULL);
}

/* The backend of medex's statement that waits on a lock; 0 if none. */
static pid_t
waiting_backend(void)
{
	PGconn	*db;
	char	*v;
	pid_t	 pid;
	int	 i;

	db = t_db("db_owner");
	pid = 0;
	for (i = 0; i < 100 && pid == 0; i++) {
		v = t_db_value(db, "SELECT coalesce(min(pid), 0) FROM "
		    "pg_stat_activity WHERE application_name = 'medex' AND "
		    "wait_event_type = 'Lock'");
		pid = (pid_t)atoi(v);
		free(v);
		if (pid == 0)
			usleep(50000);
	}
	PQfinish(db);
	return (pid);
}

/*
 * The backend serving a query is killed: libpq reads the end of the
 * stream and closes the socket.  Before, Kore's fatal() ended the worker
 * when the connection was given back, and under ASan that exit hung with
 * the accept lock held, so nothing was answered again (CI, 2026-11-23).
 */
START_TEST(connection_lost_in_a_query_is_503)
{
	struct t_resp	 r;
	PGconn		*lock;
	pthread_t	 t;
	pid_t		 before[16], after[16], victim;
	size_t		 nb, na, i, j, kept;
	long		 status;
	int		 ready;

	nb = t_kore_pids(before, 16, 0, "wrk");
	ck_assert_uint_ge(nb, 1);
	/* /readyz reads schema_migrations: it waits behind this lock. */
	lock = t_db("db_owner");
	ck_assert_int_eq(t_db_exec(lock, "BEGIN", NULL, 0), 0);
	ck_assert_int_eq(t_db_exec(lock, "LOCK TABLE schema_migrations IN "
	    "ACCESS EXCLUSIVE MODE", NULL, 0), 0);
	status = -1;
	ck_assert_int_eq(pthread_create(&t, NULL, held_read_main, &status),
	    0);
	victim = waiting_backend();
	if (victim > 0)
		ck_assert_int_eq(kill(victim, SIGKILL), 0);
	pthread_join(t, NULL);
	PQfinish(lock);
	ck_assert_msg(victim > 0, "the read never waited on the lock");
	ck_assert_msg(status == 503, "read whose connection was lost: %ld "
	    "(0: no answer)", status);

	/* PostgreSQL restarts its backends; medex follows by itself. */
	ready = 0;
	for (i = 0; i < 300 && !ready; i++) {
		t_get("/readyz", NULL, &r);
		ready = r.status == 200;
		t_resp_free(&r);
		if (!ready)
			usleep(100000);
	}
	ck_assert_msg(ready, "not ready again after the backend was killed");
	na = t_kore_pids(after, 16, 0, "wrk");
	kept = 0;
	for (i = 0; i < nb; i++)
		for (j = 0; j < na; j++)
			if (before[i] == after[j])
				kept++;
	ck_assert_msg(kept == nb && na == nb, "%zu of %zu workers lived on "
	    "(%zu now)", kept, nb, na);
}
END_TEST

/* A failed check must not leave PostgreSQL stopped for the next tests. */
static void
teardown(void)
{
	(void)pg("start");
}

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("outage");
	tc = tcase_create("db");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, readyz_follows_the_database_and_healthz_does_not);
	tcase_add_test(tc, no_503_from_connections_that_died_in_a_restart);
	tcase_add_test(tc, connection_lost_in_a_query_is_503);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
