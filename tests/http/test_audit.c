/*
 * The office audit (GET /api/v1/audit, /audit): after a case is viewed,
 * a name searched for and a sign-in failed, the lead ME finds each by
 * case, by user, by kind, by the searched text and by date; another
 * office's lead ME finds none of it; every other role is refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

static struct t_session	lead, lead_b, off, me;
static char		case_id[64], today[16];

static void
setup(void)
{
	struct t_session	 bad;
	struct t_resp		 r;
	PGconn			*db;
	char			 path[128], *v;

	t_forget_failures();
	t_user("aud.lead", "lead_medical_examiner", "AUDA");
	t_user("aud.off", "officer", "AUDA");
	t_user("aud.me", "medical_examiner", "AUDA");
	t_user("aud.liaison", "liaison_officer", "AUDA");
	t_user("aud.analyst", "analyst", "AUDA");
	t_user("aud.national", "national_analyst", "AUDA");
	t_user("aud.admin", "admin", "AUDA");
	t_user("aud.leadb", "lead_medical_examiner", "AUDB");
	t_login_ok("aud.lead", &lead);
	t_login_ok("aud.leadb", &lead_b);
	t_login_ok("aud.off", &off);
	t_login_ok("aud.me", &me);

	t_post_json("/api/v1/cases", off.bearer,
	    "{\"given_name\":\"Audrey\",\"family_name\":\"Audname\","
	    "\"date_of_birth\":\"1940-02-03\",\"sex\":\"female\","
	    "\"date_of_death\":\"2026-11-20\",\"place_of_death\":\"home\","
	    "\"attending_practitioner\":{\"name\":\"Dr Aud\","
	    "\"gmc_number\":\"1234567\"}}", &r);
	ck_assert_msg(r.status == 201, "create: %ld %s", r.status, r.body);
	snprintf(case_id, sizeof(case_id), "%s", t_json_str(&r, "id"));
	t_resp_free(&r);
	/* A view, a search and a failed sign-in. */
	snprintf(path, sizeof(path), "/api/v1/cases/%s", case_id);
	t_get(path, me.bearer, &r);
	ck_assert_int_eq(r.status, 200);
	t_resp_free(&r);
	/* In the trail once chained (sql/case_views.sql). */
	(void)t_chain_views();
	t_get("/api/v1/cases?q=Audname", off.bearer, &r);
	ck_assert_int_eq(r.status, 200);
	t_resp_free(&r);
	ck_assert_int_eq(t_login("aud.me", "not the password at all", &bad),
	    401);
	t_forget_failures();

	db = t_db("db_owner");
	v = t_db_value(db, "SELECT (now() AT TIME ZONE 'Europe/London')::date");
	snprintf(today, sizeof(today), "%s", v);
	free(v);
	PQfinish(db);
}

/* GET the audit as s; its items (a new reference) or NULL. */
static json_t *
audit(const struct t_session *s, const char *query, long want)
{
	struct t_resp	 r;
	json_t		*items;
	char		 path[512];

	snprintf(path, sizeof(path), "/api/v1/audit%s", query);
	t_get(path, s->bearer, &r);
	ck_assert_msg(r.status == want, "%s: %ld %s", path, r.status, r.body);
	items = NULL;
	if (r.json != NULL && json_object_get(r.json, "items") != NULL)
		items = json_incref(json_object_get(r.json, "items"));
	t_resp_free(&r);
	return (items);
}

/* The number of items with this actor and kind. */
static size_t
count(json_t *items, const char *actor, const char *kind)
{
	json_t	*e;
	size_t	 i, n;

	n = 0;
	json_array_foreach(items, i, e) {
		if (strcmp(json_string_value(json_object_get(e, "actor")),
		    actor) == 0 && strcmp(json_string_value(json_object_get(e,
		    "kind")), kind) == 0)
			n++;
	}
	return (n);
}

START_TEST(lead_finds_who_viewed_a_case)
{
	json_t	*items, *e;
	char	 q[128];
	size_t	 i;

	snprintf(q, sizeof(q), "?case=%s&kind=viewed", case_id);
	items = audit(&lead, q, 200);
	ck_assert_uint_eq(count(items, "aud.me", "viewed"), 1);
	json_array_foreach(items, i, e) {
		ck_assert_str_eq(json_string_value(json_object_get(e,
		    "case_id")), case_id);
		ck_assert_str_eq(json_string_value(json_object_get(e,
		    "source")), "case");
	}
	json_decref(items);
	/* Without the kind: the creation too, and nothing of other cases. */
	snprintf(q, sizeof(q), "?case=%s", case_id);
	items = audit(&lead, q, 200);
	ck_assert_uint_ge(json_array_size(items), 2);
	ck_assert_uint_eq(count(items, "aud.off", "created"), 1);
	json_decref(items);
}
END_TEST

START_TEST(lead_finds_who_searched_for_a_name)
{
	json_t	*items, *e;

	items = audit(&lead, "?user=aud.off&kind=search", 200);
	ck_assert_uint_eq(json_array_size(items), 1);
	e = json_array_get(items, 0);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(e,
	    "detail"), "q")), "Audname");
	ck_assert_str_eq(json_string_value(json_object_get(e, "action")),
	    "case_search");
	ck_assert_ptr_null(json_string_value(json_object_get(e, "case_id")));
	json_decref(items);
	/* By the name, whoever searched: part of it, any case. */
	items = audit(&lead, "?kind=search&q=audna", 200);
	ck_assert_uint_eq(count(items, "aud.off", "search"), 1);
	json_decref(items);
	items = audit(&lead, "?kind=search&q=nobodysearchedthis", 200);
	ck_assert_uint_eq(json_array_size(items), 0);
	json_decref(items);
}
END_TEST

START_TEST(lead_finds_a_failed_sign_in_by_user_and_date)
{
	json_t	*items;
	char	 q[128];

	items = audit(&lead, "?user=aud.me&kind=login_failed", 200);
	ck_assert_uint_eq(count(items, "aud.me", "login_failed"), 1);
	json_decref(items);
	snprintf(q, sizeof(q), "?user=aud.me&from=%s&to=%s", today, today);
	items = audit(&lead, q, 200);
	ck_assert_uint_eq(count(items, "aud.me", "login_failed"), 1);
	ck_assert_uint_eq(count(items, "aud.me", "viewed"), 1);
	json_decref(items);
	items = audit(&lead, "?user=aud.me&to=2026-01-01", 200);
	ck_assert_uint_eq(json_array_size(items), 0);
	json_decref(items);
	items = audit(&lead, "?user=aud.me&from=2099-01-01", 200);
	ck_assert_uint_eq(json_array_size(items), 0);
	json_decref(items);
}
END_TEST

START_TEST(another_offices_lead_finds_none)
{
	json_t	*items, *e;
	char	 q[128];
	size_t	 i;

	snprintf(q, sizeof(q), "?case=%s", case_id);
	items = audit(&lead_b, q, 200);
	ck_assert_uint_eq(json_array_size(items), 0);
	json_decref(items);
	items = audit(&lead_b, "?user=aud.me", 200);
	ck_assert_uint_eq(json_array_size(items), 0);
	json_decref(items);
	items = audit(&lead_b, "?kind=search&q=audname", 200);
	ck_assert_uint_eq(json_array_size(items), 0);
	json_decref(items);
	items = audit(&lead_b, "?limit=200", 200);
	json_array_foreach(items, i, e) {
		ck_assert_msg(strncmp(json_string_value(json_object_get(e,
		    "actor")), "aud.", 4) != 0 || strcmp(json_string_value(
		    json_object_get(e, "actor")), "aud.leadb") == 0,
		    "office B sees %s", json_string_value(json_object_get(e,
		    "actor")));
	}
	json_decref(items);
}
END_TEST

START_TEST(every_other_role_is_refused)
{
	static const char *const users[] = { "aud.off", "aud.me",
	    "aud.liaison", "aud.analyst", "aud.national", "aud.admin" };
	struct t_session	s;
	struct t_resp		r;
	size_t			i;

	for (i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		t_login_ok(users[i], &s);
		t_get("/api/v1/audit", s.bearer, &r);
		t_assert_error(&r, 403, "forbidden");
		t_resp_free(&r);
	}
	t_get("/api/v1/audit", NULL, &r);
	t_assert_error(&r, 401, "unauthenticated");
	t_resp_free(&r);
	t_post_json("/api/v1/audit", lead.bearer, "{}", &r);
	t_assert_error(&r, 405, "method_not_allowed");
	t_resp_free(&r);
}
END_TEST

START_TEST(bad_filters_are_400)
{
	static const char *const bad[] = { "?limit=0", "?limit=201",
	    "?case=abc", "?case=1%27", "?user=A%20B", "?kind=Viewed",
	    "?from=2026-13-01", "?to=yesterday",
	    "?from=2026-12-04&to=2026-12-01", "?cursor=zz", "?cursor=6162",
	    "?q=%00" };
	json_t	*items;
	size_t	 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct t_resp	r;
		char		path[128];

		snprintf(path, sizeof(path), "/api/v1/audit%s", bad[i]);
		t_get(path, lead.bearer, &r);
		t_assert_error(&r, 400, "bad_request");
		t_resp_free(&r);
	}
	items = audit(&lead, "?from=2026-12-01&to=2026-12-01", 200);
	json_decref(items);
}
END_TEST

START_TEST(pages_walk_the_list_once)
{
	struct t_resp	 r;
	json_t		*seen;
	const char	*cur, *id;
	char		 path[512], next[300];
	size_t		 i, pages;
	json_t		*e;

	seen = json_object();
	next[0] = '\0';
	for (pages = 0; pages < 50; pages++) {
		snprintf(path, sizeof(path), "/api/v1/audit?user=aud.me&limit=1%s"
		    "%s", next[0] != '\0' ? "&cursor=" : "", next);
		t_get(path, lead.bearer, &r);
		ck_assert_int_eq(r.status, 200);
		json_array_foreach(json_object_get(r.json, "items"), i, e) {
			id = json_string_value(json_object_get(e, "id"));
			ck_assert_ptr_null(json_object_get(seen, id));
			json_object_set_new(seen, id, json_true());
		}
		cur = json_string_value(json_object_get(r.json,
		    "next_cursor"));
		snprintf(next, sizeof(next), "%s", cur != NULL ? cur : "");
		t_resp_free(&r);
		if (next[0] == '\0')
			break;
	}
	/* The view, the failed sign-in and at least the login. */
	ck_assert_uint_ge(json_object_size(seen), 3);
	json_decref(seen);
}
END_TEST

START_TEST(the_audit_page_answers_who_searched_and_who_looked)
{
	struct t_resp	 r;
	const char	*h[2];
	char		 path[128];
	struct t_session off_page;

	h[0] = lead.cookie;
	h[1] = NULL;
	t_request("GET", "/audit?kind=search&q=Audname", h, NULL, 0, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "Searched for &quot;Audname"
	    "&quot;"));
	ck_assert_ptr_nonnull(strstr(r.body, "aud.off"));
	t_resp_free(&r);
	snprintf(path, sizeof(path), "/audit?case=%s&kind=viewed", case_id);
	t_request("GET", path, h, NULL, 0, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "(aud.me)"));
	ck_assert_ptr_nonnull(strstr(r.body, "Case viewed"));
	t_resp_free(&r);
	t_request("GET", "/audit?from=nonsense", h, NULL, 0, &r);
	ck_assert_int_eq(r.status, 400);
	t_resp_free(&r);
	t_login_ok("aud.off", &off_page);
	h[0] = off_page.cookie;
	t_request("GET", "/audit", h, NULL, 0, &r);
	ck_assert_int_eq(r.status, 403);
	t_resp_free(&r);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("audit");
	tc = tcase_create("audit");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup, NULL);
	tcase_add_test(tc, lead_finds_who_viewed_a_case);
	tcase_add_test(tc, lead_finds_who_searched_for_a_name);
	tcase_add_test(tc, lead_finds_a_failed_sign_in_by_user_and_date);
	tcase_add_test(tc, another_offices_lead_finds_none);
	tcase_add_test(tc, every_other_role_is_refused);
	tcase_add_test(tc, bad_filters_are_400);
	tcase_add_test(tc, pages_walk_the_list_once);
	tcase_add_test(tc, the_audit_page_answers_who_searched_and_who_looked);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
