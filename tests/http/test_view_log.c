/*
 * A read that is not a write (issue 21).  Reading a case (the API, the
 * case page, the print view) records the view in case_views and takes
 * no lock on the case; case_views_chain() turns the recorded views
 * into `viewed` / `printed` events of the case's hash chain later, with
 * the reader and the time of the read, in order (sql/case_views.sql).
 *
 * - a read adds a view row and no event until the chain step runs;
 *   then a chained event by the reader, at the time of the read, and
 *   `medexctl audit verify` passes, counting the views still waiting;
 * - a read is answered while another session holds the case's row lock
 *   (before, the read waited for it and was cancelled by the statement
 *   timeout, 503); the chain step leaves that case's views for a later
 *   round rather than wait, and chains them in order once it is free;
 * - the server may only append views: no reading, changing or removing
 *   them;
 * - the server's own timer chains views without help (waits for it
 *   with a generous bound: it runs every second).
 *
 * The chain step is run on demand (t_chain_views) rather than waited
 * for; where a test needs the timer not to run, it holds the advisory
 * lock the step tries, as a second chainer would.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"

#define OFFICE		"VL"
#define CHAIN_LOCK	"SELECT pg_advisory_lock(26, 1)"
#define CHAIN_UNLOCK	"SELECT pg_advisory_unlock(26, 1)"

static struct t_session	officer, me;

static void
setup(void)
{
	t_user("vl.officer", "officer", OFFICE);
	t_user("vl.me", "medical_examiner", OFFICE);
	t_login_ok("vl.officer", &officer);
	t_login_ok("vl.me", &me);
}

static void
create_case(char id[32])
{
	struct t_resp	r;

	t_post_json("/api/v1/cases", officer.bearer, "{\"given_name\":\"Ada\","
	    "\"family_name\":\"Viewlog\",\"date_of_birth\":\"1936-04-02\","
	    "\"sex\":\"female\",\"date_of_death\":\"2026-11-20\","
	    "\"place_of_death\":\"hospital\",\"attending_practitioner\":"
	    "{\"name\":\"Dr B Lee\",\"gmc_number\":\"7654321\"}}", &r);
	ck_assert_msg(r.status == 201, "create: %ld %.1500s", r.status,
	    r.body);
	snprintf(id, 32, "%s", t_json_str(&r, "id"));
	t_resp_free(&r);
}

/* An owner session of the office: for counting, locking and looking. */
static PGconn *
owner_db(void)
{
	PGconn	*db;

	db = t_db("db_owner");
	ck_assert_int_eq(t_db_exec(db, "SELECT set_config('medex.office_id', "
	    "(SELECT id FROM offices WHERE code = '" OFFICE "')::text, false)",
	    NULL, 0), 0);
	return (db);
}

static long
count(PGconn *db, const char *sql, const char *id)
{
	const char	*p[1];
	char		*v;
	long		 n;

	p[0] = id;
	v = t_db_value_p(db, sql, 1, p);
	n = strtol(v, NULL, 10);
	free(v);
	return (n);
}

#define VIEW_ROWS	"SELECT count(*) FROM case_views WHERE case_id = $1"
#define VIEW_EVENTS	"SELECT count(*) FROM case_events WHERE case_id = $1 " \
			"AND action IN ('viewed', 'printed')"

static void
read_case(const char *id, const struct t_session *s, struct t_resp *r)
{
	char	path[128];

	snprintf(path, sizeof(path), "/api/v1/cases/%s", id);
	t_get(path, s->bearer, r);
}

static void
read_page(const char *id, const char *suffix, const struct t_session *s)
{
	struct t_resp	 r;
	const char	*h[2] = { s->cookie, NULL };
	char		 path[128];

	snprintf(path, sizeof(path), "/cases/%s%s", id, suffix);
	t_request("GET", path, h, NULL, 0, &r);
	ck_assert_msg(r.status == 200, "%s: %ld %.1500s", path, r.status,
	    r.body);
	t_resp_free(&r);
}

/* Runs medexctl audit verify; its exit status, its output in out. */
static int
audit_verify(char *out, size_t len)
{
	FILE	*f;
	char	 cmd[1024];
	size_t	 n;
	int	 rc;

	snprintf(cmd, sizeof(cmd), "%s/medexctl audit verify > %s/vl.out",
	    getenv("MEDEX_TEST_OUT"), getenv("MEDEX_DATA"));
	rc = t_run(cmd);
	snprintf(cmd, sizeof(cmd), "%s/vl.out", getenv("MEDEX_DATA"));
	f = fopen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	n = fread(out, 1, len - 1, f);
	out[n] = '\0';
	fclose(f);
	return (rc);
}

START_TEST(a_read_records_a_view_that_the_chain_step_makes_an_event)
{
	struct t_resp	 r;
	PGconn		*db, *hold;
	const char	*p[1];
	char		 id[32], out[1024], *at, *v;
	long		 events;

	create_case(id);
	db = owner_db();
	hold = t_db("db_owner");
	/* The server's timer may not chain while this is held. */
	ck_assert_int_eq(t_db_exec(hold, CHAIN_LOCK, NULL, 0), 0);
	events = count(db, VIEW_EVENTS, id);

	read_case(id, &me, &r);
	ck_assert_msg(r.status == 200, "read: %ld %.1500s", r.status, r.body);
	t_resp_free(&r);
	ck_assert_int_eq(count(db, VIEW_ROWS, id), 1);
	ck_assert_int_eq(count(db, VIEW_EVENTS, id), events);
	p[0] = id;
	v = t_db_value_p(db, "SELECT actor || '/' || actor_role || '/' || "
	    "action FROM case_views WHERE case_id = $1", 1, p);
	ck_assert_str_eq(v, "vl.me/medical_examiner/viewed");
	free(v);
	at = t_db_value_p(db, "SELECT at FROM case_views WHERE case_id = $1",
	    1, p);

	/* Waiting views are counted, not failed. */
	ck_assert_int_eq(audit_verify(out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "every chain is intact") != NULL &&
	    strstr(out, "to be chained") != NULL, "%.1500s", out);
	ck_assert_msg(strstr(out, "; 0 views wait") == NULL, "%.1500s", out);

	ck_assert_int_eq(t_db_exec(hold, CHAIN_UNLOCK, NULL, 0), 0);
	PQfinish(hold);
	ck_assert_int_ge(t_chain_views(), 0);
	ck_assert_int_eq(count(db, VIEW_ROWS, id), 0);
	ck_assert_int_eq(count(db, VIEW_EVENTS, id), events + 1);
	v = t_db_value_p(db, "SELECT actor || '/' || actor_role || '/' || "
	    "action || '/' || at FROM case_events WHERE case_id = $1 "
	    "ORDER BY seq DESC LIMIT 1", 1, p);
	ck_assert_msg(strncmp(v, "vl.me/medical_examiner/viewed/", 30) == 0 &&
	    strcmp(v + 30, at) == 0, "%s, read at %s", v, at);
	free(v);
	free(at);
	PQfinish(db);

	/* In GET .../events, and the chains verify. */
	snprintf(out, sizeof(out), "/api/v1/cases/%s/events", id);
	t_get(out, me.bearer, &r);
	ck_assert_msg(r.status == 200 && strstr(r.body, "\"viewed\"") !=
	    NULL, "%ld %.1500s", r.status, r.body);
	t_resp_free(&r);
	ck_assert_int_eq(audit_verify(out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "every chain is intact") != NULL,
	    "%.1500s", out);
}
END_TEST

/*
 * On the code before, each of these reads waited for the row lock until
 * the statement timeout (4 s in the tests) and answered 503.
 */
START_TEST(a_read_is_not_held_up_by_a_writer_of_the_case)
{
	struct t_resp	 r;
	PGconn		*db, *lock;
	const char	*p[1];
	char		 id[32], *v;
	long		 events;

	create_case(id);
	db = owner_db();
	events = count(db, VIEW_EVENTS, id);
	lock = owner_db();
	p[0] = id;
	ck_assert_int_eq(t_db_exec(lock, "BEGIN", NULL, 0), 0);
	ck_assert_int_eq(t_db_exec_p(lock, "SELECT id FROM cases WHERE "
	    "id = $1 FOR UPDATE", 1, p), 0);

	read_case(id, &me, &r);
	ck_assert_msg(r.status == 200, "read: %ld %.1500s", r.status, r.body);
	t_resp_free(&r);
	read_page(id, "", &officer);
	read_page(id, "/print", &me);
	ck_assert_int_eq(count(db, VIEW_ROWS, id), 3);

	/* The chain step does not wait for the writer either. */
	(void)t_chain_views();
	ck_assert_int_eq(count(db, VIEW_ROWS, id), 3);
	ck_assert_int_eq(count(db, VIEW_EVENTS, id), events);

	ck_assert_int_eq(t_db_exec(lock, "ROLLBACK", NULL, 0), 0);
	PQfinish(lock);
	(void)t_chain_views();
	ck_assert_int_eq(count(db, VIEW_ROWS, id), 0);
	/* In the order they were read. */
	v = t_db_value_p(db, "SELECT string_agg(actor || ' ' || action, ', ' "
	    "ORDER BY seq) FROM case_events WHERE case_id = $1 AND seq > "
	    "(SELECT min(seq) FROM case_events WHERE case_id = $1)", 1, p);
	ck_assert_str_eq(v, "vl.me viewed, vl.officer viewed, vl.me printed");
	free(v);
	v = t_db_value_p(db, "SELECT bool_and(e.at >= p.at) FROM case_events e "
	    "JOIN case_events p ON p.case_id = e.case_id AND p.seq = e.seq - 1 "
	    "WHERE e.case_id = $1", 1, p);
	ck_assert_str_eq(v, "t");
	free(v);
	PQfinish(db);
}
END_TEST

START_TEST(the_server_role_may_not_touch_views)
{
	struct t_resp	 r;
	PGconn		*app;
	char		 id[32], state[8];

	create_case(id);
	read_case(id, &me, &r);
	ck_assert_int_eq(r.status, 200);
	t_resp_free(&r);
	/*
	 * medex_app may touch no table (0025_app_boundary): a view goes
	 * in only through the reads' entry points, and out only through
	 * case_views_chain().  Refused before row-level security is asked.
	 */
	app = t_db("db_app");
	ck_assert_int_ne(t_db_exec(app, "INSERT INTO case_views (case_id, "
	    "office_id, at, actor, actor_role, action) VALUES (1, 1, now(), "
	    "'x', 'medical_examiner', 'viewed')", state, sizeof(state)), 0);
	ck_assert_str_eq(state, "42501");
	ck_assert_int_ne(t_db_exec(app, "DELETE FROM case_views", state,
	    sizeof(state)), 0);
	ck_assert_str_eq(state, "42501");
	ck_assert_int_ne(t_db_exec(app, "UPDATE case_views SET actor = 'x'",
	    state, sizeof(state)), 0);
	ck_assert_str_eq(state, "42501");
	ck_assert_int_ne(t_db_exec(app, "TRUNCATE case_views", state,
	    sizeof(state)), 0);
	ck_assert_str_eq(state, "42501");
	ck_assert_int_ne(t_db_exec(app, "SELECT * FROM case_views", state,
	    sizeof(state)), 0);
	ck_assert_str_eq(state, "42501");
	PQfinish(app);
}
END_TEST

/*
 * The timer (view_chain.c) runs every MEDEX_VIEW_CHAIN_MS, a second by
 * default: this waits for it up to a minute, so as to fail only when it
 * does not run at all, not when the machine is slow.
 */
START_TEST(the_server_chains_views_by_itself)
{
	struct t_resp	 r;
	PGconn		*db;
	char		 id[32];
	long		 events;
	int		 i;

	create_case(id);
	db = owner_db();
	events = count(db, VIEW_EVENTS, id);
	read_case(id, &officer, &r);
	ck_assert_int_eq(r.status, 200);
	t_resp_free(&r);
	for (i = 0; i < 600 && count(db, VIEW_EVENTS, id) == events; i++)
		usleep(100 * 1000);
	ck_assert_int_eq(count(db, VIEW_EVENTS, id), events + 1);
	ck_assert_int_eq(count(db, VIEW_ROWS, id), 0);
	PQfinish(db);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("view_log");
	tc = tcase_create("views");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup, NULL);
	tcase_add_test(tc,
	    a_read_records_a_view_that_the_chain_step_makes_an_event);
	tcase_add_test(tc, a_read_is_not_held_up_by_a_writer_of_the_case);
	tcase_add_test(tc, the_server_role_may_not_touch_views);
	tcase_add_test(tc, the_server_chains_views_by_itself);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
