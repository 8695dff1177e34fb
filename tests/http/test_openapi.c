/*
 * GET /api/v1/openapi.json describes every API route of the route table
 * the server enforces, and every operation it describes is really
 * served (no 404 for the route, no 405 for the method).  Each operation
 * is described for a client (operationId, summary, an answer with its
 * schema, the security of its roles), the enumerations are the C tables'
 * and GET /api/v1/reference's, and /api/docs shows it all to people.
 * The answers of every HTTP test are checked against the document by
 * scripts/test-openapi.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_body.h"
#include "case_state.h"
#include "route_table.h"
#include "testlib.h"

/* The routes of the API document: route_is_api() (route_table.c). */
static int
api_route(const struct route_def *rd)
{
	return (route_is_api(rd->pattern));
}

static void
lower(char *s)
{
	for (; *s != '\0'; s++) {
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
	}
}

START_TEST(openapi_lists_every_api_route)
{
	struct t_resp	 r;
	json_t		*paths, *item, *op;
	char		 method[8];
	size_t		 i, want, have;
	const char	*key, *m;

	t_get("/api/v1/openapi.json", NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(t_json_str(&r, "openapi"), "3.1.0");
	paths = json_object_get(r.json, "paths");
	ck_assert_ptr_nonnull(paths);
	want = 0;
	for (i = 0; i < route_table_count; i++) {
		if (!api_route(&route_table[i]))
			continue;
		want++;
		snprintf(method, sizeof(method), "%s",
		    route_method_str(route_table[i].method));
		lower(method);
		item = json_object_get(paths, route_table[i].pattern);
		ck_assert_msg(item != NULL && json_object_get(item, method) !=
		    NULL, "%s %s not described", method,
		    route_table[i].pattern);
	}
	have = 0;
	json_object_foreach(paths, key, item) {
		json_object_foreach(item, m, op)
			have++;
	}
	ck_assert_int_eq(have, want);
	t_resp_free(&r);
}
END_TEST

START_TEST(every_described_operation_is_served)
{
	struct t_resp	 r, q;
	json_t		*paths, *item, *op;
	const char	*key, *m, *p;
	char		 path[512], method[8];
	const char	*h[2] = { "Content-Type: application/json", NULL };
	size_t		 o, k;

	t_get("/api/v1/openapi.json", NULL, &r);
	paths = json_object_get(r.json, "paths");
	json_object_foreach(paths, key, item) {
		o = 0;
		for (p = key; *p != '\0' && o + 2 < sizeof(path); p++) {
			if (*p == '{') {
				path[o++] = '1';
				p = strchr(p, '}');
			} else
				path[o++] = *p;
		}
		path[o] = '\0';
		json_object_foreach(item, m, op) {
			snprintf(method, sizeof(method), "%s", m);
			for (k = 0; method[k] != '\0'; k++)
				method[k] = (char)(method[k] - 'a' + 'A');
			t_request(method, path, h, strcmp(method, "GET") ?
			    "{}" : NULL, strcmp(method, "GET") ? 2 : 0, &q);
			/* 503 is readyz's answer while the database is away. */
			ck_assert_msg(q.status != 404 && q.status != 405 &&
			    (q.status < 500 || q.status == 503), "%s %s: %ld",
			    method, path, q.status);
			t_resp_free(&q);
		}
	}
	t_resp_free(&r);
}
END_TEST

/* The enum of components.schemas.name. */
static json_t *
schema_enum(json_t *doc, const char *name)
{
	json_t	*e;

	e = json_object_get(json_object_get(json_object_get(json_object_get(
	    doc, "components"), "schemas"), name), "enum");
	ck_assert_msg(json_is_array(e), "schema %s has no enum", name);
	return (e);
}

static void
assert_enum(json_t *doc, const char *name, const char *const *codes)
{
	json_t	*e;
	size_t	 i;

	e = schema_enum(doc, name);
	for (i = 0; codes[i] != NULL; i++) {
		ck_assert_msg(i < json_array_size(e), "%s: %s missing", name,
		    codes[i]);
		ck_assert_str_eq(json_string_value(json_array_get(e, i)),
		    codes[i]);
	}
	ck_assert_int_eq(json_array_size(e), i);
}

START_TEST(every_operation_is_described_for_a_client)
{
	struct t_resp	 r;
	json_t		*paths, *item, *op, *resp, *ok, *sec;
	const char	*key, *m, *st;
	size_t		 ops, answers;

	t_get("/api/v1/openapi.json", NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(
	    json_object_get(r.json, "servers"), 0), "url")), "/");
	paths = json_object_get(r.json, "paths");
	ops = 0;
	json_object_foreach(paths, key, item) {
		json_object_foreach(item, m, op) {
			ops++;
			ck_assert_msg(json_string_length(json_object_get(op,
			    "operationId")) > 0, "%s %s: no operationId", m, key);
			ck_assert_msg(json_string_length(json_object_get(op,
			    "summary")) > 0, "%s %s: no summary", m, key);
			resp = json_object_get(op, "responses");
			answers = 0;
			json_object_foreach(resp, st, ok) {
				if (st[0] == '2' && (strcmp(st, "204") == 0 ||
				    json_object_get(json_object_get(json_object_get(
				    ok, "content"), "application/json"),
				    "schema") != NULL))
					answers++;
			}
			ck_assert_msg(answers == 1, "%s %s: %zu success answers",
			    m, key, answers);
			sec = json_object_get(op, "security");
			ck_assert_msg(json_is_array(sec), "%s %s: no security",
			    m, key);
			/* Protected: the bearer token, or the cookie. */
			if (json_array_size(sec) > 0)
				ck_assert_msg(json_object_get(json_array_get(sec,
				    0), "bearer") != NULL && json_object_get(
				    json_object_get(op, "responses"), "401") !=
				    NULL, "%s %s: no bearer or no 401", m, key);
		}
	}
	ck_assert_int_ge(ops, 36);
	t_resp_free(&r);
}
END_TEST

/* One source: the document's enumerations are the validators' lists. */
START_TEST(enumerations_are_the_tables_of_the_code)
{
	struct t_resp	 r;
	const char	*states[CASE_STATE_COUNT + 1];
	int		 i;

	t_get("/api/v1/openapi.json", NULL, &r);
	for (i = 0; i < CASE_STATE_COUNT; i++)
		states[i] = case_state_str((enum case_state)i);
	states[i] = NULL;
	assert_enum(r.json, "State", states);
	assert_enum(r.json, "Sex", case_sex_codes);
	assert_enum(r.json, "Ethnicity", case_ethnicity_codes);
	assert_enum(r.json, "PlaceOfDeath", case_place_codes);
	assert_enum(r.json, "ReferralCategory", case_referral_categories);
	assert_enum(r.json, "GovernanceKind", case_governance_kinds);
	assert_enum(r.json, "NoteKind", case_note_kinds);
	assert_enum(r.json, "ContactOutcome", case_contact_outcomes);
	assert_enum(r.json, "Disposal", case_disposals);
	ck_assert_int_eq(json_array_size(schema_enum(r.json, "Role")), 7);
	t_resp_free(&r);
}
END_TEST

/* GET /api/v1/reference lists what the document enumerates. */
START_TEST(reference_lists_are_the_documents_enums)
{
	static const char *const lists[][2] = { { "states", "State" },
	    { "sex", "Sex" }, { "ethnicity", "Ethnicity" },
	    { "place_of_death", "PlaceOfDeath" },
	    { "referral_categories", "ReferralCategory" },
	    { "governance_kinds", "GovernanceKind" },
	    { "contact_methods", "ContactMethod" },
	    { "contact_outcomes", "ContactOutcome" },
	    { "exhausted_reasons", "ExhaustedReason" },
	    { "note_kinds", "NoteKind" }, { "roles", "Role" } };
	struct t_session	 s;
	struct t_resp		 doc, ref;
	json_t			*e, *l;
	size_t			 i, k;

	t_office("OAREF");
	t_user("oaref.officer", "officer", "OAREF");
	t_login_ok("oaref.officer", &s);
	t_get("/api/v1/openapi.json", NULL, &doc);
	t_get("/api/v1/reference", s.bearer, &ref);
	ck_assert_int_eq(ref.status, 200);
	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		e = schema_enum(doc.json, lists[i][1]);
		l = json_object_get(ref.json, lists[i][0]);
		ck_assert_msg(json_array_size(l) == json_array_size(e),
		    "%s: %zu in /reference, %zu in the document", lists[i][0],
		    json_array_size(l), json_array_size(e));
		for (k = 0; k < json_array_size(e); k++)
			ck_assert_str_eq(json_string_value(json_object_get(
			    json_array_get(l, k), "code")),
			    json_string_value(json_array_get(e, k)));
	}
	t_resp_free(&doc);
	t_resp_free(&ref);
}
END_TEST

/* /api/docs: the document as a page, every operation on it. */
START_TEST(the_docs_page_shows_every_operation)
{
	struct t_resp	 r, d;
	json_t		*item, *op;
	const char	*key, *m;
	char		*ct, anchor[128];

	t_get("/api/v1/openapi.json", NULL, &d);
	t_get("/api/docs", NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ct = t_header(&r, "content-type");
	ck_assert_ptr_nonnull(ct);
	ck_assert(strncmp(ct, "text/html", 9) == 0);
	free(ct);
	ct = t_header(&r, "content-security-policy");
	ck_assert_ptr_nonnull(ct);
	free(ct);
	json_object_foreach(json_object_get(d.json, "paths"), key, item) {
		json_object_foreach(item, m, op) {
			snprintf(anchor, sizeof(anchor), "id=\"%s\"",
			    json_string_value(json_object_get(op,
			    "operationId")));
			ck_assert_msg(strstr(r.body, anchor) != NULL,
			    "%s not on the page", anchor);
		}
	}
	ck_assert(strstr(r.body, "id=\"schema-Case\"") != NULL);
	ck_assert(strstr(r.body, "<script") == NULL ||
	    strstr(r.body, "<script>") == NULL);
	t_resp_free(&r);
	t_resp_free(&d);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("openapi");
	tc = tcase_create("openapi");
	tcase_add_test(tc, openapi_lists_every_api_route);
	tcase_add_test(tc, every_described_operation_is_served);
	tcase_add_test(tc, every_operation_is_described_for_a_client);
	tcase_add_test(tc, enumerations_are_the_tables_of_the_code);
	tcase_add_test(tc, reference_lists_are_the_documents_enums);
	tcase_add_test(tc, the_docs_page_shows_every_operation);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
