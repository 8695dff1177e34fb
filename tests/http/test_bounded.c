/*
 * Bounded records (issue 20, finding 8): a case whose answer would pass
 * RESPONSE_MAX (8 MiB: 450 notes of 20,000 characters, put in by the
 * owner) answers 500 internal_error in the JSON shape, never 200 with
 * an empty body that the page shows as a blank case.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

static void
make_case(struct t_session *s, char *id, size_t len)
{
	struct t_resp	r;

	t_post_json("/api/v1/cases", s->bearer, "{\"given_name\":\"Large\","
	    "\"family_name\":\"Record\",\"date_of_birth\":\"1941-03-04\","
	    "\"sex\":\"female\",\"date_of_death\":\"2026-11-20\","
	    "\"place_of_death\":\"hospital\",\"notified_at\":"
	    "\"2026-11-20T10:00:00Z\",\"attending_practitioner\":{\"name\":"
	    "\"Dr L\",\"gmc_number\":\"1234567\"}}", &r);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	snprintf(id, len, "%s", t_json_str(&r, "id"));
	t_resp_free(&r);
}

static void
add_notes(const char *id, int n)
{
	PGconn		*db;
	const char	*p[2];
	char		 count[16];

	snprintf(count, sizeof(count), "%d", n);
	p[0] = id;
	p[1] = count;
	db = t_db("db_owner");
	ck_assert_int_eq(t_db_exec(db, "SELECT set_config('medex.office_id', "
	    "(SELECT id FROM offices WHERE code = 'BD')::text, false)", NULL,
	    0), 0);
	ck_assert_int_eq(t_db_exec_p(db, "INSERT INTO case_notes (case_id, "
	    "office_id, kind, text, author_id) SELECT k.id, k.office_id, "
	    "'other', repeat('x', 20000), (SELECT id FROM users WHERE "
	    "username = 'bd.officer') FROM cases k, generate_series(1, "
	    "$2::int) WHERE k.id = $1::bigint", 2, p), 0);
	PQfinish(db);
}

START_TEST(a_case_past_the_response_limit_answers_500)
{
	struct t_session	s;
	struct t_resp		r;
	char			id[32], path[64];

	t_user("bd.officer", "officer", "BD");
	t_login_ok("bd.officer", &s);
	make_case(&s, id, sizeof(id));
	snprintf(path, sizeof(path), "/api/v1/cases/%s", id);
	add_notes(id, 100);
	t_get(path, s.bearer, &r);
	ck_assert_msg(r.status == 200, "%ld", r.status);
	ck_assert_uint_gt(r.len, 2000000);
	t_resp_free(&r);

	add_notes(id, 350);
	t_get(path, s.bearer, &r);
	t_assert_error(&r, 500, "internal_error");
	ck_assert_ptr_null(t_header(&r, "etag"));
	t_resp_free(&r);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("bounded");
	tc = tcase_create("bounded");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, a_case_past_the_response_limit_answers_500);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
