/*
 * Reads that wait for a connection go in one statement (issue 21,
 * app/http/db_batch.c, api_case_get_batch and api_page_case_batch).
 *
 * - a crowd of readers (of two offices and three roles) gets, read for
 *   read, exactly the answer each read gets alone: the same status, the
 *   same body, the same ETag; another office's case is a 404 and a
 *   liaison officer's case has what a liaison officer may see, in a
 *   batch as alone;
 * - the server's log says that reads went together (batch=N), so that
 *   the crowd did test batches;
 * - every read answered 200 has its own recorded view, no more, no less;
 * - clients that hang up while their reads wait (some of them leading a
 *   batch, some riding one) leave nothing stuck: the next crowd is
 *   answered in full;
 * - the server's backends ended under a crowd (a batch failing with its
 *   riders): every read is answered, 200 as alone or 503, never 500,
 *   and the next crowd is answered in full;
 * - the batch functions refuse arrays of different lengths and more
 *   than 64 reads.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"
#include "testraw.h"

#define OFFICE		"BATCHA"
#define OTHER		"BATCHB"
#define CASES		4
#define READERS		4
#define KINDS		(CASES * READERS)
#define CLIENTS		48
#define EACH		6
#define QUITTERS	64

static struct t_session	 officer, me, liaison, stranger;
static struct t_session	*readers[READERS] = { &officer, &me, &liaison,
			    &stranger };
static char		 case_id[CASES][32];

/* What each (case, reader) read answers alone. */
static struct {
	long	 status;
	char	*body;
	char	*etag;
} alone[KINDS];

struct client {
	pthread_t	 thread;
	int		 n;
	int		 ok;		/* answers 200 */
	int		 same;		/* answers as alone */
	int		 pages;		/* pages answered 200 */
	int		 views[CASES];	/* 200s that record a view */
	char		 diff[256];
};

static void
create_case(char id[32], int n)
{
	struct t_resp	r;
	char		body[1024];

	snprintf(body, sizeof(body), "{\"given_name\":\"Ada%c\","
	    "\"family_name\":\"Batchread\",\"date_of_birth\":\"1936-04-02\","
	    "\"sex\":\"female\",\"date_of_death\":\"2026-11-20\","
	    "\"place_of_death\":\"hospital\",\"attending_practitioner\":"
	    "{\"name\":\"Dr B Lee\",\"gmc_number\":\"7654321\"}}", 'a' + n);
	t_post_json("/api/v1/cases", officer.bearer, body, &r);
	ck_assert_msg(r.status == 201, "create: %ld %.1500s", r.status,
	    r.body);
	snprintf(id, 32, "%s", t_json_str(&r, "id"));
	t_resp_free(&r);
}

static void
read_kind(int kind, struct t_resp *r)
{
	char	path[128];

	snprintf(path, sizeof(path), "/api/v1/cases/%s",
	    case_id[kind % CASES]);
	ck_assert_int_eq(t_get(path, readers[kind / CASES]->bearer, r), 0);
}

static void
setup(void)
{
	struct t_resp	r;
	int		i;

	t_office(OFFICE);
	t_office(OTHER);
	t_user("batch.officer", "officer", OFFICE);
	t_user("batch.me", "medical_examiner", OFFICE);
	t_user("batch.liaison", "liaison_officer", OFFICE);
	t_user("batch.stranger", "medical_examiner", OTHER);
	t_login_ok("batch.officer", &officer);
	t_login_ok("batch.me", &me);
	t_login_ok("batch.liaison", &liaison);
	t_login_ok("batch.stranger", &stranger);
	for (i = 0; i < CASES; i++)
		create_case(case_id[i], i);
	/* One at a time: nothing waits, so each read goes alone. */
	for (i = 0; i < KINDS; i++) {
		read_kind(i, &r);
		alone[i].status = r.status;
		alone[i].body = strdup(r.body);
		alone[i].etag = t_header(&r, "etag");
		t_resp_free(&r);
	}
}

static int
same_as_alone(int kind, const struct t_resp *r)
{
	char	*etag;
	int	 same;

	etag = t_header(r, "etag");
	same = r->status == alone[kind].status &&
	    strcmp(r->body, alone[kind].body) == 0 &&
	    ((etag == NULL && alone[kind].etag == NULL) ||
	    (etag != NULL && alone[kind].etag != NULL &&
	    strcmp(etag, alone[kind].etag) == 0));
	free(etag);
	return (same);
}

/* A case page, as a signed-in browser asks for it. */
static long
read_page(int kind)
{
	struct t_resp	 r;
	const char	*h[2];
	char		 path[128];
	long		 status;

	h[0] = readers[kind / CASES]->cookie;
	h[1] = NULL;
	snprintf(path, sizeof(path), "/cases/%s", case_id[kind % CASES]);
	if (t_request("GET", path, h, NULL, 0, &r) != 0)
		return (0);
	status = r.status;
	if (status == 200 && strstr(r.body, "Batchread") == NULL)
		status = 0;
	t_resp_free(&r);
	return (status);
}

static void *
client_main(void *arg)
{
	struct client	*c = arg;
	struct t_resp	 r;
	int		 i, kind;

	for (i = 0; i < EACH; i++) {
		kind = (c->n * 7 + i * 5) % KINDS;
		/* Every third of one reader's reads is its page. */
		if ((c->n + i) % 3 == 0 && kind / CASES == 1) {
			if (read_page(kind) == 200) {
				c->pages++;
				c->views[kind % CASES]++;
			}
			continue;
		}
		read_kind(kind, &r);
		if (r.status == 200) {
			c->ok++;
			c->views[kind % CASES]++;
		}
		if (same_as_alone(kind, &r))
			c->same++;
		else if (c->diff[0] == '\0')
			snprintf(c->diff, sizeof(c->diff), "kind %d: %ld "
			    "%.200s", kind, r.status, r.body);
		t_resp_free(&r);
	}
	return (NULL);
}

static long
views(int i)
{
	PGconn		*db;
	const char	*p[1];
	char		*v;
	long		 n;

	db = t_db("db_owner");
	ck_assert_int_eq(t_db_exec(db, "SELECT set_config('medex.office_id', "
	    "(SELECT id FROM offices WHERE code = '" OFFICE "')::text, false)",
	    NULL, 0), 0);
	p[0] = case_id[i];
	v = t_db_value_p(db, "SELECT (SELECT count(*) FROM case_views "
	    "WHERE case_id = $1) + (SELECT count(*) FROM case_events "
	    "WHERE case_id = $1 AND action = 'viewed')", 1, p);
	n = strtol(v, NULL, 10);
	free(v);
	PQfinish(db);
	return (n);
}

/* CLIENTS at once; the views each case should have gained in got. */
static void
crowd(long got[CASES], int *asked, int *same)
{
	struct client	*c;
	int		 i, k;

	c = calloc(CLIENTS, sizeof(*c));
	ck_assert_ptr_nonnull(c);
	for (i = 0; i < CLIENTS; i++) {
		c[i].n = i;
		ck_assert_int_eq(pthread_create(&c[i].thread, NULL,
		    client_main, &c[i]), 0);
	}
	*asked = *same = 0;
	for (k = 0; k < CASES; k++)
		got[k] = 0;
	for (i = 0; i < CLIENTS; i++) {
		pthread_join(c[i].thread, NULL);
		ck_assert_msg(c[i].diff[0] == '\0', "not as alone: %s",
		    c[i].diff);
		*asked += EACH;
		*same += c[i].same + c[i].pages;
		for (k = 0; k < CASES; k++)
			got[k] += c[i].views[k];
	}
	free(c);
}

START_TEST(a_crowd_gets_what_each_read_gets_alone)
{
	long	before[CASES], got[CASES];
	int	asked, same, i;

	for (i = 0; i < CASES; i++)
		before[i] = views(i);
	crowd(got, &asked, &same);
	ck_assert_int_eq(same, asked);
	for (i = 0; i < CASES; i++)
		ck_assert_int_eq(views(i) - before[i], got[i]);
}
END_TEST

START_TEST(the_log_says_reads_went_together)
{
	char	 path[1024], *log, *line, *end, *get;
	long	 got[CASES];
	int	 asked, same, api, page;

	crowd(got, &asked, &same);
	snprintf(path, sizeof(path), "%s/kore.log", getenv("MEDEX_DATA"));
	log = t_file(path);
	api = page = 0;
	for (line = log; line != NULL && *line != '\0'; line = end) {
		if ((end = strchr(line, '\n')) != NULL)
			*end++ = '\0';
		if (strstr(line, " batch=") == NULL ||
		    (get = strstr(line, " GET ")) == NULL)
			continue;
		if (strncmp(get, " GET /api/v1/cases/", 19) == 0)
			api++;
		else if (strncmp(get, " GET /cases/", 12) == 0)
			page++;
	}
	free(log);
	ck_assert_msg(api > 0, "no API read went in a batch");
	ck_assert_msg(page > 0, "no case page went in a batch");
}
END_TEST

/*
 * Clients that send their read and hang up at once, many more than
 * there are connections: some lead a batch when they go, some ride
 * one.  Nothing may be left waiting for them.
 */
START_TEST(readers_that_hang_up_leave_nothing_stuck)
{
	char	 req[8192];
	long	 got[CASES];
	int	 fds[QUITTERS], i, n, asked, same;

	for (i = 0; i < QUITTERS; i++) {
		n = snprintf(req, sizeof(req), "GET /api/v1/cases/%s "
		    "HTTP/1.1\r\nHost: localhost\r\n%s\r\n\r\n",
		    case_id[i % CASES], me.bearer);
		ck_assert_int_lt(n, (int)sizeof(req));
		fds[i] = tr_connect();
		ck_assert_int_ge(fds[i], 0);
		ck_assert_int_eq(tr_send(fds[i], req, (size_t)n), 0);
	}
	for (i = 0; i < QUITTERS; i++)
		close(fds[i]);
	crowd(got, &asked, &same);
	ck_assert_int_eq(same, asked);
	crowd(got, &asked, &same);
	ck_assert_int_eq(same, asked);
}
END_TEST

static volatile int	reading;

struct reader {
	pthread_t	 thread;
	int		 n;
	int		 same, unavailable, other;
	char		 what[256];
};

/* The examiner's reads (all 200 alone) until told to stop. */
static void *
reader_main(void *arg)
{
	struct reader	*c = arg;
	struct t_resp	 r;
	int		 i, kind;

	for (i = 0; reading; i++) {
		kind = CASES + (c->n + i) % CASES;
		read_kind(kind, &r);
		if (same_as_alone(kind, &r))
			c->same++;
		else if (r.status == 503)
			c->unavailable++;
		else if (c->other++ == 0)
			snprintf(c->what, sizeof(c->what), "%ld %.200s",
			    r.status, r.body);
		t_resp_free(&r);
	}
	return (NULL);
}

START_TEST(backends_ended_under_a_crowd_fail_reads_with_503_only)
{
	struct reader	 c[CLIENTS];
	PGconn		*su;
	long		 got[CASES];
	int		 i, round, same, asked;

	memset(c, 0, sizeof(c));
	reading = 1;
	for (i = 0; i < CLIENTS; i++) {
		c[i].n = i;
		ck_assert_int_eq(pthread_create(&c[i].thread, NULL,
		    reader_main, &c[i]), 0);
	}
	su = t_db_super("medex");
	for (round = 0; round < 5; round++) {
		usleep(300 * 1000);
		ck_assert_int_eq(t_db_exec(su, "SELECT count(pg_terminate_"
		    "backend(pid)) FROM pg_stat_activity WHERE "
		    "application_name = 'medex'", NULL, 0), 0);
	}
	PQfinish(su);
	usleep(300 * 1000);
	reading = 0;
	same = 0;
	for (i = 0; i < CLIENTS; i++) {
		pthread_join(c[i].thread, NULL);
		ck_assert_msg(c[i].other == 0, "neither as alone nor 503: %s",
		    c[i].what);
		same += c[i].same;
	}
	ck_assert_int_gt(same, 0);
	crowd(got, &asked, &same);
	ck_assert_int_eq(same, asked);
}
END_TEST

START_TEST(the_batch_functions_refuse_what_the_server_never_sends)
{
	PGconn	*db;
	char	 err[16];

	db = t_db("db_app");
	ck_assert_int_ne(t_db_exec(db, "SELECT * FROM api_case_get_batch("
	    "'{a,b}', '{a}', '{a}', '{a}', '{NULL}', '{a}', '{1}', '{t}')",
	    err, sizeof(err)), 0);
	ck_assert_str_eq(err, "22023");
	ck_assert_int_ne(t_db_exec(db, "SELECT * FROM api_page_case_batch("
	    "array_fill('a'::text, '{65}'), array_fill('a'::text, '{65}'), "
	    "array_fill('a'::text, '{65}'), array_fill('a'::text, '{65}'), "
	    "array_fill(NULL::text, '{65}'), array_fill('a'::text, '{65}'), "
	    "array_fill('1'::text, '{65}'), array_fill(true, '{65}'), "
	    "array_fill(true, '{65}'), array_fill(200, '{65}'))",
	    err, sizeof(err)), 0);
	ck_assert_str_eq(err, "22023");
	/* Empty arrays: no reads is not a batch either. */
	ck_assert_int_ne(t_db_exec(db, "SELECT * FROM api_case_get_batch("
	    "'{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}')", err,
	    sizeof(err)), 0);
	ck_assert_str_eq(err, "22023");
	PQfinish(db);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("db_batch");
	tc = tcase_create("batch");
	tcase_set_timeout(tc, 180);
	tcase_add_unchecked_fixture(tc, setup, NULL);
	tcase_add_test(tc, a_crowd_gets_what_each_read_gets_alone);
	tcase_add_test(tc, the_log_says_reads_went_together);
	tcase_add_test(tc, readers_that_hang_up_leave_nothing_stuck);
	tcase_add_test(tc,
	    backends_ended_under_a_crowd_fail_reads_with_503_only);
	tcase_add_test(tc,
	    the_batch_functions_refuse_what_the_server_never_sends);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
