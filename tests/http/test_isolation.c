/*
 * Office isolation (issue 4, acceptance 3): a user of office B gets 404
 * for every case route of office A's case, whatever the role, and lists
 * and searches show none of A's data.  Underneath, row-level security
 * keeps A's rows from B's context even for a query that forgets the
 * office condition, as a handler bug would.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "route_table.h"
#include "testlib.h"

static struct t_session	a_off, b_sess[4];
static char		case_a[64], office_a[32], office_b[32];
static const char	*b_roles[4] = { "officer", "medical_examiner",
			    "lead_medical_examiner", "liaison_officer" };

static void
setup(void)
{
	struct t_resp	 r;
	char		 name[64];
	const char	*p[1];
	PGconn		*db;
	char		*v;
	int		 i;

	t_forget_failures();
	t_user("iso.a.off", "officer", "ISOA");
	t_login_ok("iso.a.off", &a_off);
	for (i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "iso.b.%d", i);
		t_user(name, b_roles[i], "ISOB");
		t_login_ok(name, &b_sess[i]);
	}
	t_post_json("/api/v1/cases", a_off.bearer,
	    "{\"given_name\":\"Isolde\",\"family_name\":\"Secretname\","
	    "\"nhs_number\":\"943 476 5919\",\"date_of_birth\":\"1950-05-06\","
	    "\"sex\":\"female\",\"date_of_death\":\"2026-11-02\","
	    "\"place_of_death\":\"home\",\"attending_practitioner\":"
	    "{\"name\":\"Dr Iso\",\"gmc_number\":\"7654321\"}}", &r);
	ck_assert_msg(r.status == 201, "create: %ld %s", r.status, r.body);
	snprintf(case_a, sizeof(case_a), "%s", t_json_str(&r, "id"));
	t_resp_free(&r);
	db = t_db("db_owner");
	p[0] = "ISOA";
	v = t_db_value_p(db, "SELECT id FROM offices WHERE code = $1", 1, p);
	snprintf(office_a, sizeof(office_a), "%s", v);
	free(v);
	p[0] = "ISOB";
	v = t_db_value_p(db, "SELECT id FROM offices WHERE code = $1", 1, p);
	snprintf(office_b, sizeof(office_b), "%s", v);
	free(v);
	PQfinish(db);
}

START_TEST(every_case_route_of_another_office_is_404)
{
	const struct route_def	*rd;
	struct t_resp		 r;
	char			 path[256], ifm[] = "If-Match: \"1\"";
	const char		*h[4];
	size_t			 i, n;
	int			 k;

	n = 0;
	for (i = 0; i < route_table_count; i++) {
		rd = &route_table[i];
		if (strncmp(rd->pattern, "/api/v1/cases/{id}", 18) != 0)
			continue;
		snprintf(path, sizeof(path), "/api/v1/cases/%s%s", case_a,
		    rd->pattern + 18);
		for (k = 0; k < 4; k++) {
			h[0] = b_sess[k].bearer;
			h[1] = "Content-Type: application/json";
			h[2] = ifm;
			h[3] = NULL;
			t_request(route_method_str(rd->method), path, h,
			    rd->method == RM_GET ? NULL : "{}",
			    rd->method == RM_GET ? 0 : 2, &r);
			ck_assert_msg(r.status == 404, "%s %s as %s of B: %ld %s",
			    route_method_str(rd->method), path, b_roles[k],
			    r.status, r.body);
			ck_assert_ptr_null(strstr(r.body, "Secretname"));
			t_resp_free(&r);
			n++;
		}
	}
	ck_assert_int_ge(n, 40);
}
END_TEST

START_TEST(lists_and_searches_show_nothing_of_another_office)
{
	struct t_resp	 r;
	const char	*paths[] = { "/api/v1/cases", "/api/v1/cases?q=Secretname",
			    "/api/v1/cases?q=9434765919",
			    "/api/v1/cases?q=943%20476%205919",
			    "/api/v1/cases?overdue=true",
			    "/api/v1/cases?state=notified",
			    "/api/v1/cases/summary", NULL };
	int		 i, k;

	for (i = 0; paths[i] != NULL; i++) {
		for (k = 0; k < 4; k++) {
			t_get(paths[i], b_sess[k].bearer, &r);
			ck_assert_msg(r.status == 200, "%s: %ld", paths[i],
			    r.status);
			ck_assert_msg(strstr(r.body, "Secretname") == NULL &&
			    strstr(r.body, "9434765919") == NULL &&
			    strstr(r.body, "Isolde") == NULL,
			    "%s as %s shows A's case: %s", paths[i],
			    b_roles[k], r.body);
			t_resp_free(&r);
		}
	}
	/* And A itself finds it, so the searches above could have. */
	t_get("/api/v1/cases?q=Secretname", a_off.bearer, &r);
	ck_assert_ptr_nonnull(strstr(r.body, "Secretname"));
	t_resp_free(&r);
}
END_TEST

START_TEST(row_level_security_holds_without_the_office_condition)
{
	PGconn		*db;
	const char	*p[2];
	char		*v;

	/*
	 * As the owner, whom the entry points run as (sql/boundary.sql):
	 * medex_app itself may read no table at all (test_boundary).
	 */
	db = t_db("db_owner");
	/* No context at all: nothing. */
	p[0] = case_a;
	v = t_db_value_p(db, "SELECT count(*) FROM cases WHERE id = $1", 1,
	    p);
	ck_assert_str_eq(v, "0");
	free(v);
	/* B's context, the query forgetting the office: nothing either. */
	p[0] = office_b;
	p[1] = case_a;
	v = t_db_value_p(db, "SELECT count(*) FROM (SELECT set_config("
	    "'medex.office_id', $1, false)) s, cases WHERE id = $2", 2, p);
	ck_assert_str_eq(v, "0");
	free(v);
	p[0] = case_a;
	v = t_db_value_p(db, "SELECT count(*) FROM case_events WHERE "
	    "case_id = $1", 1, p);
	ck_assert_str_eq(v, "0");
	free(v);
	/* B may not write a row into A either. */
	ck_assert_int_eq(t_db_exec_p(db, "UPDATE cases SET family_name = 'x' "
	    "WHERE id = $1", 1, p), 0);
	PQfinish(db);
	/* A's context sees it, and the update above changed nothing. */
	db = t_db("db_owner");
	p[0] = office_a;
	p[1] = case_a;
	v = t_db_value_p(db, "SELECT family_name FROM (SELECT "
	    "set_config('medex.office_id', $1, false)) s, cases WHERE "
	    "id = $2", 2, p);
	ck_assert_str_eq(v, "Secretname");
	free(v);
	PQfinish(db);
}
END_TEST

START_TEST(even_the_owner_is_held_by_forced_row_level_security)
{
	PGconn	*db;
	char	*v;

	db = t_db("db_owner");
	v = t_db_value(db, "SELECT count(*) FROM cases");
	ck_assert_str_eq(v, "0");
	free(v);
	PQfinish(db);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("isolation");
	tc = tcase_create("http");
	tcase_set_timeout(tc, 300);
	tcase_add_unchecked_fixture(tc, setup, NULL);
	tcase_add_test(tc, every_case_route_of_another_office_is_404);
	tcase_add_test(tc, lists_and_searches_show_nothing_of_another_office);
	tcase_add_test(tc, row_level_security_holds_without_the_office_condition);
	tcase_add_test(tc, even_the_owner_is_held_by_forced_row_level_security);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
