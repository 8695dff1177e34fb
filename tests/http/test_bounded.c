/*
 * Bounded records (issue 20, finding 8): a case whose answer would pass
 * RESPONSE_MAX (8 MiB: 450 notes of 20,000 characters, put in by the
 * owner) answers 500 internal_error in the JSON shape, never 200 with
 * an empty body that the page shows as a blank case.  And a case holds
 * at most 200 notes and 200 contacts: one more answers 422 naming
 * `notes` or `contacts`, and records nothing.
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

/* n contacts of the case, as the owner: the API stops at 200. */
static void
add_contacts(const char *id, int n)
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
	ck_assert_int_eq(t_db_exec_p(db, "INSERT INTO contacts (case_id, "
	    "office_id, person_name, relationship, method, outcome, at, "
	    "concerns_raised, author_id) SELECT k.id, k.office_id, 'Ann', "
	    "'daughter', 'phone', 'reached', '2026-11-21T10:00:00Z', false, "
	    "(SELECT id FROM users WHERE username = 'bd.officer') FROM cases k, "
	    "generate_series(1, $2::int) WHERE k.id = $1::bigint", 2, p), 0);
	PQfinish(db);
}

static long
post(struct t_session *s, const char *id, const char *what,
    const char *body, struct t_resp *r)
{
	char	path[96];

	snprintf(path, sizeof(path), "/api/v1/cases/%s/%s", id, what);
	t_post_json(path, s->bearer, body, r);
	return (r->status);
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

/*
 * Takes the rows added by hand above away again: they have no event, so
 * `medexctl audit verify` would rightly name them, and the suites after
 * this one verify the database they share.
 */
static void
forget_hand_rows(const char *id)
{
	PGconn		*db;
	const char	*p[1];

	p[0] = id;
	db = t_db("db_owner");
	ck_assert_int_eq(t_db_exec(db, "SELECT set_config('medex.office_id', "
	    "(SELECT id FROM offices WHERE code = 'BD')::text, false)", NULL,
	    0), 0);
	ck_assert_int_eq(t_db_exec_p(db, "DELETE FROM case_notes n WHERE "
	    "n.case_id = $1::bigint AND NOT EXISTS (SELECT 1 FROM case_events "
	    "e WHERE e.case_id = n.case_id AND e.action = 'note_added' AND "
	    "e.changes->'note'->'new'->>'id' = n.id::text)", 1, p), 0);
	ck_assert_int_eq(t_db_exec_p(db, "DELETE FROM contacts n WHERE "
	    "n.case_id = $1::bigint AND NOT EXISTS (SELECT 1 FROM case_events "
	    "e WHERE e.case_id = n.case_id AND e.action = 'contact_added' AND "
	    "e.changes->'contact'->'new'->>'id' = n.id::text)", 1, p), 0);
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
	forget_hand_rows(id);
}
END_TEST

START_TEST(notes_and_contacts_stop_at_200_a_case)
{
	static const char	 note[] = "{\"kind\":\"officer_summary\","
	    "\"text\":\"one more\"}";
	static const char	 contact[] = "{\"person_name\":\"Ann\","
	    "\"relationship\":\"daughter\",\"method\":\"phone\","
	    "\"outcome\":\"reached\",\"at\":\"2026-11-22T12:00:00Z\","
	    "\"concerns_raised\":false}";
	struct t_session	 s;
	struct t_resp		 r;
	json_t			*f;
	char			 id[32];

	t_user("bd.officer", "officer", "BD");
	t_login_ok("bd.officer", &s);
	make_case(&s, id, sizeof(id));
	/* 199 notes by hand (short ones), the 200th through the API. */
	{
		PGconn		*db;
		const char	*p[1] = { id };

		db = t_db("db_owner");
		ck_assert_int_eq(t_db_exec(db, "SELECT set_config("
		    "'medex.office_id', (SELECT id FROM offices WHERE code = "
		    "'BD')::text, false)", NULL, 0), 0);
		ck_assert_int_eq(t_db_exec_p(db, "INSERT INTO case_notes "
		    "(case_id, office_id, kind, text, author_id) SELECT k.id, "
		    "k.office_id, 'other', 'n', (SELECT id FROM users WHERE "
		    "username = 'bd.officer') FROM cases k, generate_series(1, "
		    "199) WHERE k.id = $1::bigint", 1, p), 0);
		PQfinish(db);
	}
	ck_assert_int_eq(post(&s, id, "notes", note, &r), 201);
	t_resp_free(&r);
	ck_assert_int_eq(post(&s, id, "notes", note, &r), 422);
	t_assert_error(&r, 422, "validation_failed");
	f = json_object_get(json_object_get(r.json, "error"), "fields");
	ck_assert_str_eq(json_string_value(json_object_get(f, "notes")),
	    "this case already has 200 notes, the most a case may hold");
	t_resp_free(&r);

	add_contacts(id, 199);
	ck_assert_int_eq(post(&s, id, "contacts", contact, &r), 201);
	t_resp_free(&r);
	ck_assert_int_eq(post(&s, id, "contacts", contact, &r), 422);
	f = json_object_get(json_object_get(r.json, "error"), "fields");
	ck_assert_str_eq(json_string_value(json_object_get(f, "contacts")),
	    "this case already has 200 contacts, the most a case may hold");
	t_resp_free(&r);
	forget_hand_rows(id);
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
	tcase_add_test(tc, notes_and_contacts_stop_at_200_a_case);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
