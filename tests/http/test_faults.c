/*
 * Faults under load, with nothing acknowledged lost:
 *
 *  - PostgreSQL stopped and started while an admin creates offices in a
 *    loop: every 201 is in the database afterwards; during the outage
 *    the answers are 503 `unavailable` with Retry-After, each within the
 *    documented 2 seconds; no other status; writes succeed again without
 *    anyone touching medex.
 *  - A Kore worker killed with SIGKILL while offices are created: it is
 *    respawned, every 201 is in the database, and retrying what got no
 *    answer with the same Idempotency-Key leaves exactly one office each.
 *  - A slowloris client and 1,000 idle connections: others are served
 *    meanwhile, and the server closes the idle ones by its own timeout.
 *
 * Each write carries an Idempotency-Key and a unique office code, so
 * "found afterwards" and "exactly once" are counts in the database.
 */
#include <sys/resource.h>
#include <sys/types.h>

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"
#include "testraw.h"

#define MAX_ATTEMPTS	20000
#define UNAVAILABLE_MS	2000	/* API.md: 503 within 2 seconds */

struct attempt {
	char	code[16];
	long	status;
	long	ms;
	int	ok_shape;	/* 503: unavailable + Retry-After */
};

struct writer {
	const char	*prefix;
	pthread_t	 thread;
	volatile int	 stop;
	size_t		 n;
	struct attempt	*a;
	volatile size_t	 ok;	/* 201s so far */
};

static struct t_session	admin;

/*
 * The writers running now.  A failed check leaves its test at once (Check
 * runs these without forking), and a writer left running would write
 * into the next test's stack: teardown() stops them, and starts
 * PostgreSQL again if a test failed while it was stopped, so that one
 * failure is reported as itself and not as every test after it.
 */
#define MAX_LIVE	8
static struct writer	*live[MAX_LIVE];

static int
pg(const char *what)
{
	char	cmd[1024];

	snprintf(cmd, sizeof(cmd), "%s/scripts/pg.sh %s %s >/dev/null",
	    getenv("MEDEX_TEST_ROOT"), what, getenv("MEDEX_DATA"));
	return (t_run(cmd));
}

/* One office creation; the status, 0 when no answer came. */
static long
create_office(const char *code, struct attempt *at)
{
	struct t_resp	 r;
	char		 body[128], key[64], *ra;
	const char	*h[4];
	const char	*c;
	long		 t0;

	snprintf(body, sizeof(body), "{\"code\":\"%s\",\"name\":\"Fault "
	    "%s\"}", code, code);
	snprintf(key, sizeof(key), "Idempotency-Key: fault-%s", code);
	h[0] = "Content-Type: application/json";
	h[1] = admin.bearer;
	h[2] = key;
	h[3] = NULL;
	t0 = tr_now_ms();
	if (t_request("POST", "/api/v1/offices", h, body, strlen(body),
	    &r) != 0)
		r.status = 0;
	at->ms = tr_now_ms() - t0;
	at->status = r.status;
	at->ok_shape = 0;
	if (r.status == 503) {
		c = t_json_str(&r, "error.code");
		ra = t_header(&r, "retry-after");
		at->ok_shape = c != NULL && strcmp(c, "unavailable") == 0 &&
		    ra != NULL;
		free(ra);
	}
	t_resp_free(&r);
	return (at->status);
}

static void *
writer_main(void *arg)
{
	struct writer	*w = arg;
	struct attempt	*at;

	while (!w->stop && w->n < MAX_ATTEMPTS) {
		at = &w->a[w->n];
		snprintf(at->code, sizeof(at->code), "%s%06zu", w->prefix,
		    w->n);
		if (create_office(at->code, at) == 201)
			w->ok++;
		else
			usleep(20000);
		w->n++;
	}
	return (NULL);
}

static void
writer_start(struct writer *w, const char *prefix)
{
	size_t	i;

	memset(w, 0, sizeof(*w));
	w->prefix = prefix;
	w->a = calloc(MAX_ATTEMPTS, sizeof(*w->a));
	ck_assert_ptr_nonnull(w->a);
	for (i = 0; i < MAX_LIVE && live[i] != NULL; i++)
		;
	ck_assert_int_lt(i, MAX_LIVE);
	ck_assert_int_eq(pthread_create(&w->thread, NULL, writer_main, w), 0);
	live[i] = w;
}

static void
writer_stop(struct writer *w)
{
	size_t	i;

	for (i = 0; i < MAX_LIVE; i++)
		if (live[i] == w)
			live[i] = NULL;
	w->stop = 1;
	ck_assert_int_eq(pthread_join(w->thread, NULL), 0);
}

/* Waits until the writer has n more 201s, at most secs seconds. */
static int
writer_wait_ok(struct writer *w, size_t n, int secs)
{
	size_t	target;
	int	i;

	target = w->ok + n;
	for (i = 0; i < secs * 10; i++) {
		if (w->ok >= target)
			return (1);
		usleep(100000);
	}
	return (0);
}

static long long
db_count(const char *prefix)
{
	PGconn		*db;
	const char	*p[1];
	char		*v;
	long long	 n;

	db = t_db("db_owner");
	p[0] = prefix;
	v = t_db_value_p(db, "SELECT count(*) FROM offices WHERE code "
	    "LIKE $1 || '%'", 1, p);
	n = atoll(v);
	free(v);
	PQfinish(db);
	return (n);
}

/*
 * The offices a scenario made are removed once counted, so that other
 * scenarios' first page of offices is not full of them.
 */
static void
db_forget(const char *prefix)
{
	PGconn		*db;
	const char	*p[1];

	db = t_db("db_owner");
	p[0] = prefix;
	ck_assert_msg(t_db_exec_p(db, "DELETE FROM offices WHERE code LIKE "
	    "$1 || '%'", 1, p) == 0, "cleanup of %s offices", prefix);
	PQfinish(db);
}

/* How many of the writer's 201s are in the database. */
static size_t
acked_found(const struct writer *w)
{
	PGconn		*db;
	PGresult	*res;
	const char	*p[1];
	char		*arr;
	size_t		 i, o, found;

	arr = malloc(w->n * 18 + 3);
	ck_assert_ptr_nonnull(arr);
	o = 0;
	arr[o++] = '{';
	for (i = 0; i < w->n; i++) {
		if (w->a[i].status != 201)
			continue;
		o += (size_t)sprintf(arr + o, "%s%s", o > 1 ? "," : "",
		    w->a[i].code);
	}
	arr[o++] = '}';
	arr[o] = '\0';
	db = t_db("db_owner");
	p[0] = arr;
	res = PQexecParams(db, "SELECT count(*) FROM offices WHERE code = "
	    "ANY($1::text[])", 1, NULL, p, NULL, NULL, 0);
	ck_assert_int_eq(PQresultStatus(res), PGRES_TUPLES_OK);
	found = (size_t)atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	PQfinish(db);
	free(arr);
	return (found);
}

/*
 * Retries every attempt without a 201 with its own Idempotency-Key: each
 * must now be 201 (made now, or the first result replayed).
 */
static size_t
retry_unacked(struct writer *w)
{
	struct attempt	at;
	size_t		i, n;

	n = 0;
	for (i = 0; i < w->n; i++) {
		if (w->a[i].status == 201)
			continue;
		memset(&at, 0, sizeof(at));
		snprintf(at.code, sizeof(at.code), "%s", w->a[i].code);
		ck_assert_msg(create_office(at.code, &at) == 201,
		    "retry of %s: %ld", at.code, at.status);
		n++;
	}
	return (n);
}

static void
setup(void)
{
	t_user("fault.admin", "admin", "ZFAULT");
	t_login_ok("fault.admin", &admin);
}

static void
teardown(void)
{
	size_t	i;

	for (i = 0; i < MAX_LIVE; i++) {
		if (live[i] == NULL)
			continue;
		live[i]->stop = 1;
		pthread_join(live[i]->thread, NULL);
		live[i] = NULL;
	}
	(void)pg("start");
}

START_TEST(database_restart_loses_no_acknowledged_write)
{
	static struct writer w;	/* static: teardown() may stop it */
	size_t		i, acked, n503, other, slow, badshape, found, retried;
	long		max503;

	writer_start(&w, "FQ");
	ck_assert_msg(writer_wait_ok(&w, 20, 30), "no writes before the "
	    "outage");
	ck_assert_int_eq(pg("stop"), 0);
	sleep(3);
	ck_assert_int_eq(pg("start"), 0);
	/* No restart of medex: it must find the database by itself. */
	ck_assert_msg(writer_wait_ok(&w, 20, 30), "writes did not succeed "
	    "again within 30 s of PostgreSQL returning");
	writer_stop(&w);

	acked = n503 = other = slow = badshape = 0;
	max503 = 0;
	for (i = 0; i < w.n; i++) {
		if (w.a[i].status == 201)
			acked++;
		else if (w.a[i].status == 503) {
			n503++;
			if (w.a[i].ms > UNAVAILABLE_MS)
				slow++;
			if (w.a[i].ms > max503)
				max503 = w.a[i].ms;
			if (!w.a[i].ok_shape)
				badshape++;
		} else {
			other++;
			fprintf(stderr, "%s: status %ld\n", w.a[i].code,
			    w.a[i].status);
		}
	}
	found = acked_found(&w);
	printf("db restart: %zu writes attempted, %zu acknowledged, %zu of "
	    "them found; %zu answered 503 (slowest %ld ms), %zu other\n",
	    w.n, acked, found, n503, max503, other);
	ck_assert_msg(n503 > 0, "the outage was not seen");
	ck_assert_msg(other == 0, "%zu answers were neither 201 nor 503",
	    other);
	ck_assert_msg(badshape == 0, "%zu 503s without `unavailable` and "
	    "Retry-After", badshape);
	ck_assert_msg(slow == 0, "%zu 503s took over %d ms (slowest %ld)",
	    slow, UNAVAILABLE_MS, max503);
	ck_assert_msg(found == acked, "%zu acknowledged writes, %zu found",
	    acked, found);

	retried = retry_unacked(&w);
	ck_assert_int_eq(db_count("FQ"), (long long)w.n);
	printf("db restart: %zu retried with the same key, %lld offices for "
	    "%zu codes\n", retried, db_count("FQ"), w.n);
	free(w.a);
	db_forget("FQ");
}
END_TEST

#define KILL_WRITERS	4

START_TEST(killed_worker_is_respawned_and_loses_nothing)
{
	static const char *const prefix[KILL_WRITERS] = { "FWA", "FWB",
	    "FWC", "FWD" };
	static struct writer w[KILL_WRITERS];	/* see teardown() */
	pid_t		before[16], after[16], victim;
	size_t		nb, na, i, k, acked, noanswer, other, found, retried;
	size_t		attempted;
	long long	rows;
	int		respawned, gone;

	nb = t_kore_pids(before, 16, 0, "wrk");
	ck_assert_msg(nb >= 1, "no Kore workers found");
	for (k = 0; k < KILL_WRITERS; k++)
		writer_start(&w[k], prefix[k]);
	ck_assert_msg(writer_wait_ok(&w[0], 20, 30), "no writes before the "
	    "kill");
	victim = before[0];
	ck_assert_int_eq(kill(victim, SIGKILL), 0);

	respawned = 0;
	for (k = 0; k < 300 && !respawned; k++) {
		usleep(100000);
		na = t_kore_pids(after, 16, 0, "wrk");
		gone = 1;
		for (i = 0; i < na; i++)
			if (after[i] == victim)
				gone = 0;
		respawned = gone && na == nb;
	}
	ck_assert_msg(respawned, "worker %d was not replaced within 30 s",
	    (int)victim);
	for (k = 0; k < KILL_WRITERS; k++)
		ck_assert_msg(writer_wait_ok(&w[k], 20, 30), "no writes after "
		    "the respawn");
	for (k = 0; k < KILL_WRITERS; k++)
		writer_stop(&w[k]);

	attempted = acked = noanswer = other = found = retried = 0;
	rows = 0;
	for (k = 0; k < KILL_WRITERS; k++) {
		attempted += w[k].n;
		for (i = 0; i < w[k].n; i++) {
			if (w[k].a[i].status == 201)
				acked++;
			else if (w[k].a[i].status == 0)
				noanswer++;
			else {
				other++;
				fprintf(stderr, "%s: status %ld\n",
				    w[k].a[i].code, w[k].a[i].status);
			}
		}
		found += acked_found(&w[k]);
	}
	printf("worker kill: %zu writes attempted by %d clients, %zu "
	    "acknowledged, %zu of them found; %zu without an answer, %zu "
	    "other; %zu workers before and after\n", attempted,
	    KILL_WRITERS, acked, found, noanswer, other, nb);
	ck_assert_msg(other == 0, "%zu answers were neither 201 nor a "
	    "dropped connection", other);
	ck_assert_msg(found == acked, "%zu acknowledged writes, %zu found",
	    acked, found);
	for (k = 0; k < KILL_WRITERS; k++) {
		retried += retry_unacked(&w[k]);
		ck_assert_int_eq(db_count(prefix[k]), (long long)w[k].n);
		rows += db_count(prefix[k]);
		free(w[k].a);
		db_forget(prefix[k]);
	}
	printf("worker kill: %zu retried with the same key, %lld offices for "
	    "%zu codes\n", retried, rows, attempted);
}
END_TEST

#define IDLE_CONNS	1000

START_TEST(slow_and_idle_clients_do_not_stop_others)
{
	struct rlimit	 rl;
	struct t_resp	 r;
	struct tr_resp	 tr;
	int		*fd, slow, i, j, closed;
	const char	*loris = "GET /api/v1/offices HTTP/1.1\r\nHost: x\r\n"
			    "X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	if (rl.rlim_cur < IDLE_CONNS + 256) {
		rl.rlim_cur = rl.rlim_max;
		ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	}
	ck_assert_msg(rl.rlim_cur >= IDLE_CONNS + 256, "need %d descriptors",
	    IDLE_CONNS + 256);
	fd = calloc(IDLE_CONNS, sizeof(*fd));
	ck_assert_ptr_nonnull(fd);
	for (i = 0; i < IDLE_CONNS; i++) {
		fd[i] = tr_connect();
		ck_assert_msg(fd[i] >= 0, "idle connection %d refused", i);
	}
	ck_assert_int_ge(slow = tr_connect(), 0);

	/* One byte of the slow request at a time; others go meanwhile. */
	for (j = 0; loris[j] != '\0' && j < 40; j++) {
		(void)tr_send(slow, loris + j, 1);
		if (j % 8 == 0) {
			t_get("/healthz", NULL, &r);
			ck_assert_msg(r.status == 200, "healthz %ld with %d "
			    "idle connections", r.status, IDLE_CONNS);
			t_resp_free(&r);
			t_get("/api/v1/offices?limit=1", admin.bearer, &r);
			ck_assert_msg(r.status == 200, "offices %ld with %d "
			    "idle connections", r.status, IDLE_CONNS);
			t_resp_free(&r);
		}
		usleep(100000);
	}

	/* The slow client is cut off by the header timeout (10 s). */
	ck_assert_int_eq(tr_read(slow, 30000, &tr), 0);
	ck_assert_msg(!tr.timed_out, "the slow client was never cut off");
	ck_assert_msg(tr.status == 0 || (tr.status >= 400 && tr.status < 500),
	    "slow client: %d", tr.status);
	tr_resp_free(&tr);
	close(slow);

	/* So are the idle ones. */
	closed = 0;
	for (i = 0; i < IDLE_CONNS; i++) {
		ck_assert_int_eq(tr_read(fd[i], i == 0 ? 30000 : 2000, &tr), 0);
		if (!tr.timed_out)
			closed++;
		tr_resp_free(&tr);
		close(fd[i]);
	}
	printf("idle: %d connections held open, %d closed by the server's "
	    "header timeout\n", IDLE_CONNS, closed);
	ck_assert_int_eq(closed, IDLE_CONNS);
	free(fd);
	t_get("/healthz", NULL, &r);
	ck_assert_int_eq(r.status, 200);
	t_resp_free(&r);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("faults");
	tc = tcase_create("faults");
	tcase_set_timeout(tc, 300);
	tcase_add_unchecked_fixture(tc, setup, NULL);
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, database_restart_loses_no_acknowledged_write);
	tcase_add_test(tc, killed_worker_is_respawned_and_loses_nothing);
	tcase_add_test(tc, slow_and_idle_clients_do_not_stop_others);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
