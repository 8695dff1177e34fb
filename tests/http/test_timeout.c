/*
 * A statement that outlives the statement_timeout of the medex_app
 * connections (MEDEX_STATEMENT_TIMEOUT_MS; scripts/test-http.sh sets it
 * to a few seconds): held up by a row lock another session keeps, a note
 * is answered 503 `unavailable` with Retry-After while the lock is still
 * held, the server goes on serving others meanwhile, nothing is written
 * (no note, no stored Idempotency-Key answer), the log says why, and
 * once the lock goes the same request succeeds.  A read of the case
 * takes no lock (issue 21): it is answered meanwhile, and its view
 * reaches the trail once the lock goes (test_view_log says more).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

static struct t_session	officer;
static char		case_id[32];

static void
setup(void)
{
	struct t_resp	r;

	t_office("SLOW");
	t_user("slow.officer", "officer", "SLOW");
	t_login_ok("slow.officer", &officer);
	t_post_json("/api/v1/cases", officer.bearer, "{\"given_name\":\"Ada\","
	    "\"family_name\":\"Slow\",\"date_of_birth\":\"1936-04-02\","
	    "\"sex\":\"female\",\"date_of_death\":\"2026-11-20\","
	    "\"place_of_death\":\"hospital\",\"attending_practitioner\":"
	    "{\"name\":\"Dr B Lee\",\"gmc_number\":\"7654321\"}}", &r);
	ck_assert_msg(r.status == 201, "create: %ld %s", r.status, r.body);
	snprintf(case_id, sizeof(case_id), "%s", t_json_str(&r, "id"));
	t_resp_free(&r);
}

/* An owner session of the SLOW office, for counting and for locking. */
static PGconn *
slow_db(void)
{
	PGconn	*db;

	db = t_db("db_owner");
	ck_assert_int_eq(t_db_exec(db, "SELECT set_config('medex.office_id', "
	    "(SELECT id FROM offices WHERE code = 'SLOW')::text, false)", NULL,
	    0), 0);
	return (db);
}

static long
count(PGconn *db, const char *sql)
{
	const char	*p[1];
	char		*v;
	long		 n;

	p[0] = case_id;
	v = t_db_value_p(db, sql, 1, p);
	n = strtol(v, NULL, 10);
	free(v);
	return (n);
}

#define VIEWS	"SELECT count(*) FROM case_events WHERE case_id = $1 " \
		"AND action = 'viewed'"
#define NOTES	"SELECT count(*) FROM case_notes WHERE case_id = $1"

static void
note(const char *key, struct t_resp *r)
{
	const char	*h[4];
	const char	*body = "{\"kind\":\"other\",\"text\":\"Called the "
			    "ward.\"}";
	char		 path[128], idem[128];

	snprintf(path, sizeof(path), "/api/v1/cases/%s/notes", case_id);
	snprintf(idem, sizeof(idem), "Idempotency-Key: %s", key);
	h[0] = officer.bearer;
	h[1] = "Content-Type: application/json";
	h[2] = idem;
	h[3] = NULL;
	t_request("POST", path, h, body, strlen(body), r);
}

/* The 503's request id is in the log with the cancellation's SQLSTATE. */
static void
assert_logged(const struct t_resp *r)
{
	char	 path[1024], needle[128], *id, *log;

	id = t_header(r, "x-request-id");
	ck_assert_ptr_nonnull(id);
	snprintf(needle, sizeof(needle), "req=%s database statement "
	    "cancelled sqlstate=57014", id);
	free(id);
	snprintf(path, sizeof(path), "%s/kore.log", getenv("MEDEX_DATA"));
	log = t_file(path);
	ck_assert_msg(strstr(log, needle) != NULL, "not in the log: %s",
	    needle);
	free(log);
}

START_TEST(a_statement_past_the_timeout_is_503_and_changes_nothing)
{
	struct t_resp	 r;
	PGconn		*lock, *db;
	char		 path[128], *ra;
	long		 views, notes;
	const char	*p[1];

	snprintf(path, sizeof(path), "/api/v1/cases/%s", case_id);
	db = slow_db();
	views = count(db, VIEWS);
	notes = count(db, NOTES);

	/* Another session holds the case's row, as a stuck writer would. */
	lock = slow_db();
	ck_assert_int_eq(t_db_exec(lock, "BEGIN", NULL, 0), 0);
	p[0] = case_id;
	ck_assert_int_eq(t_db_exec_p(lock, "SELECT id FROM cases WHERE id = $1 "
	    "FOR UPDATE", 1, p), 0);

	t_get(path, officer.bearer, &r);
	ck_assert_msg(r.status == 200, "read: %ld %.1500s", r.status, r.body);
	t_resp_free(&r);

	note("slow-note-1", &r);
	t_assert_error(&r, 503, "unavailable");
	ra = t_header(&r, "retry-after");
	ck_assert_ptr_nonnull(ra);
	free(ra);
	assert_logged(&r);
	t_resp_free(&r);

	/* One stuck request does not stop the others. */
	t_get("/readyz", NULL, &r);
	ck_assert_int_eq(r.status, 200);
	t_resp_free(&r);
	t_get("/api/v1/cases?limit=5", officer.bearer, &r);
	ck_assert_int_eq(r.status, 200);
	t_resp_free(&r);

	/*
	 * Still locked: nothing of the note was written, and the view waits
	 * to be chained (the chain step leaves a locked case alone).
	 */
	(void)t_chain_views();
	ck_assert_int_eq(count(db, VIEWS), views);
	ck_assert_int_eq(count(db, NOTES), notes);
	ck_assert_int_eq(t_db_exec(lock, "ROLLBACK", NULL, 0), 0);
	PQfinish(lock);

	/* Unlocked: the note goes through, the key afresh. */
	note("slow-note-1", &r);
	ck_assert_msg(r.status == 201, "note: %ld %.1500s", r.status, r.body);
	t_resp_free(&r);
	(void)t_chain_views();
	ck_assert_int_eq(count(db, VIEWS), views + 1);
	ck_assert_int_eq(count(db, NOTES), notes + 1);
	PQfinish(db);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("timeout");
	tc = tcase_create("statement_timeout");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup, NULL);
	tcase_add_test(tc,
	    a_statement_past_the_timeout_is_503_and_changes_nothing);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
