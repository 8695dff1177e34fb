/*
 * Offices and users through the API (API.md "Offices and users"):
 * creation, conflicts, validation, idempotency, versions, and the
 * medexctl path for the first admin.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

static struct t_session	admin;

static void
setup(void)
{
	t_forget_failures();
	t_user("adm.root", "admin", "ADM");
	t_login_ok("adm.root", &admin);
}

static long
post(const char *path, const char *body, const char *idem, struct t_resp *r)
{
	const char	*h[4] = { admin.bearer, "Content-Type: application/json",
			    idem, NULL };

	t_request("POST", path, h, body, strlen(body), r);
	return (r->status);
}

START_TEST(admin_creates_and_lists_offices)
{
	struct t_resp	 r;
	char		*loc;

	ck_assert_int_eq(post("/api/v1/offices", "{\"code\":\"ADM-NEW\","
	    "\"name\":\"Ysbyty Gwynedd – Gŵyl\"}", NULL, &r), 201);
	ck_assert_str_eq(t_json_str(&r, "name"), "Ysbyty Gwynedd – Gŵyl");
	loc = t_header(&r, "location");
	ck_assert_str_eq(loc, "/api/v1/offices/ADM-NEW");
	free(loc);
	t_resp_free(&r);
	post("/api/v1/offices", "{\"code\":\"ADM-NEW\",\"name\":\"Again\"}",
	    NULL, &r);
	t_assert_error(&r, 409, "conflict");
	t_resp_free(&r);
	t_get("/api/v1/offices?limit=200", admin.bearer, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "ADM-NEW"));
	ck_assert_ptr_nonnull(json_object_get(r.json, "next_cursor"));
	t_resp_free(&r);
}
END_TEST

START_TEST(office_input_is_validated)
{
	struct t_resp	r;

	post("/api/v1/offices", "{\"code\":\"lower\",\"name\":\"\","
	    "\"extra\":1}", NULL, &r);
	t_assert_error(&r, 422, "validation_failed");
	ck_assert_ptr_nonnull(t_json_str(&r, "error.fields.code"));
	ck_assert_ptr_nonnull(t_json_str(&r, "error.fields.name"));
	ck_assert_ptr_nonnull(t_json_str(&r, "error.fields.extra"));
	t_resp_free(&r);
	post("/api/v1/offices", "{\"code\":\"ALL\",\"name\":\"All\"}", NULL, &r);
	t_assert_error(&r, 422, "validation_failed");
	t_resp_free(&r);
	t_get("/api/v1/offices?limit=201", admin.bearer, &r);
	t_assert_error(&r, 400, "bad_request");
	t_resp_free(&r);
	t_get("/api/v1/offices?cursor=zz", admin.bearer, &r);
	t_assert_error(&r, 400, "bad_request");
	t_resp_free(&r);
}
END_TEST

START_TEST(pagination_walks_every_office_once)
{
	struct t_resp	 r;
	char		 path[600], cursor[256];
	const char	*c;
	int		 pages, seen, i;

	for (i = 0; i < 5; i++) {
		snprintf(path, sizeof(path), "{\"code\":\"PG%d\",\"name\":"
		    "\"Page %d\"}", i, i);
		post("/api/v1/offices", path, NULL, &r);
		t_resp_free(&r);
	}
	cursor[0] = '\0';
	pages = seen = 0;
	for (;;) {
		snprintf(path, sizeof(path), "/api/v1/offices?limit=2%s%s",
		    cursor[0] ? "&cursor=" : "", cursor);
		t_get(path, admin.bearer, &r);
		ck_assert_int_eq(r.status, 200);
		seen += (int)json_array_size(json_object_get(r.json, "items"));
		pages++;
		c = json_string_value(json_object_get(r.json, "next_cursor"));
		if (c == NULL) {
			t_resp_free(&r);
			break;
		}
		snprintf(cursor, sizeof(cursor), "%s", c);
		t_resp_free(&r);
		ck_assert_int_lt(pages, 100);
	}
	ck_assert_int_ge(seen, 6);
	ck_assert_int_ge(pages, 3);
}
END_TEST

START_TEST(users_are_created_case_insensitively_and_once)
{
	struct t_resp		r;
	struct t_session	s;

	ck_assert_int_eq(post("/api/v1/users", "{\"username\":\"Adm.Person\","
	    "\"display_name\":\"Dr Siân Ŵyn\",\"password\":\"" T_PASSWORD
	    "\",\"role\":\"officer\",\"office\":\"ADM\"}", NULL, &r), 201);
	ck_assert_str_eq(t_json_str(&r, "username"), "adm.person");
	t_resp_free(&r);
	post("/api/v1/users", "{\"username\":\"ADM.PERSON\",\"display_name\":"
	    "\"X\",\"password\":\"" T_PASSWORD "\",\"role\":\"officer\","
	    "\"office\":\"ADM\"}", NULL, &r);
	t_assert_error(&r, 409, "conflict");
	t_resp_free(&r);
	t_login_ok("ADM.Person", &s);
}
END_TEST

START_TEST(user_input_is_validated)
{
	struct t_resp	r;

	post("/api/v1/users", "{\"username\":\"x\",\"display_name\":\"X\","
	    "\"password\":\"short\",\"role\":\"boss\",\"office\":\"ADM\"}",
	    NULL, &r);
	t_assert_error(&r, 422, "validation_failed");
	ck_assert_ptr_nonnull(t_json_str(&r, "error.fields.username"));
	ck_assert_ptr_nonnull(t_json_str(&r, "error.fields.password"));
	ck_assert_ptr_nonnull(t_json_str(&r, "error.fields.role"));
	t_resp_free(&r);
	post("/api/v1/users", "{\"username\":\"adm.nooffice\",\"display_name\":"
	    "\"X\",\"password\":\"" T_PASSWORD "\",\"role\":\"officer\","
	    "\"office\":\"NOPE\"}", NULL, &r);
	t_assert_error(&r, 422, "validation_failed");
	ck_assert_str_eq(t_json_str(&r, "error.fields.office"),
	    "no such office");
	t_resp_free(&r);
}
END_TEST

START_TEST(idempotency_key_replays_and_detects_a_different_body)
{
	struct t_resp	r1, r2, r3;
	PGconn		*db;
	char		*n;

	post("/api/v1/offices", "{\"code\":\"IDEM\",\"name\":\"Idem\"}",
	    "Idempotency-Key: k-1", &r1);
	post("/api/v1/offices", "{\"code\":\"IDEM\",\"name\":\"Idem\"}",
	    "Idempotency-Key: k-1", &r2);
	ck_assert_int_eq(r1.status, 201);
	ck_assert_int_eq(r2.status, 201);
	ck_assert_str_eq(r1.body, r2.body);
	post("/api/v1/offices", "{\"code\":\"IDEM2\",\"name\":\"Other\"}",
	    "Idempotency-Key: k-1", &r3);
	t_assert_error(&r3, 409, "conflict");
	t_resp_free(&r1);
	t_resp_free(&r2);
	t_resp_free(&r3);
	db = t_db("db_owner");
	n = t_db_value(db, "SELECT count(*) FROM offices WHERE code IN "
	    "('IDEM', 'IDEM2')");
	ck_assert_str_eq(n, "1");
	free(n);
	PQfinish(db);
}
END_TEST

START_TEST(patch_needs_if_match_and_refuses_stale_versions)
{
	struct t_resp	 r;
	const char	*h[4];
	const char	*body = "{\"role\":\"medical_examiner\"}";
	char		*etag, ifm[64];

	t_user("adm.patchme", "officer", "ADM");
	t_get("/api/v1/users/adm.patchme", admin.bearer, &r);
	ck_assert_int_eq(r.status, 200);
	etag = t_header(&r, "etag");
	ck_assert_str_eq(etag, "\"1\"");
	t_resp_free(&r);
	h[0] = admin.bearer;
	h[1] = "Content-Type: application/json";
	h[2] = NULL;
	t_request("PATCH", "/api/v1/users/adm.patchme", h, body, strlen(body),
	    &r);
	t_assert_error(&r, 428, "precondition_required");
	t_resp_free(&r);
	h[2] = "If-Match: 1";
	h[3] = NULL;
	t_request("PATCH", "/api/v1/users/adm.patchme", h, body, strlen(body),
	    &r);
	t_assert_error(&r, 400, "bad_request");
	t_resp_free(&r);
	snprintf(ifm, sizeof(ifm), "If-Match: %s", etag);
	h[2] = ifm;
	t_request("PATCH", "/api/v1/users/adm.patchme", h, body, strlen(body),
	    &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(t_json_str(&r, "role"), "medical_examiner");
	t_resp_free(&r);
	t_request("PATCH", "/api/v1/users/adm.patchme", h, body, strlen(body),
	    &r);
	t_assert_error(&r, 412, "version_mismatch");
	t_resp_free(&r);
	free(etag);
	t_get("/api/v1/users/nobody.atall", admin.bearer, &r);
	t_assert_error(&r, 404, "not_found");
	t_resp_free(&r);
}
END_TEST

START_TEST(medexctl_reads_the_password_from_stdin_only)
{
	char	cmd[1024];

	snprintf(cmd, sizeof(cmd), "printf 'short\\n' | %s/medexctl user add "
	    "adm.cli --role officer --office ADM 2>/dev/null",
	    getenv("MEDEX_TEST_OUT"));
	ck_assert_int_ne(t_run(cmd), 0);
	snprintf(cmd, sizeof(cmd), "printf '%%s\\n' '%s' | %s/medexctl user "
	    "add adm.cli --role officer --office ADM >/dev/null",
	    T_PASSWORD, getenv("MEDEX_TEST_OUT"));
	ck_assert_int_eq(t_run(cmd), 0);
	ck_assert_int_ne(t_run(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/medexctl office add lower Name "
	    "2>/dev/null", getenv("MEDEX_TEST_OUT"));
	ck_assert_int_ne(t_run(cmd), 0);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("admin");
	tc = tcase_create("http");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup, NULL);
	tcase_add_test(tc, admin_creates_and_lists_offices);
	tcase_add_test(tc, office_input_is_validated);
	tcase_add_test(tc, pagination_walks_every_office_once);
	tcase_add_test(tc, users_are_created_case_insensitively_and_once);
	tcase_add_test(tc, user_input_is_validated);
	tcase_add_test(tc, idempotency_key_replays_and_detects_a_different_body);
	tcase_add_test(tc, patch_needs_if_match_and_refuses_stale_versions);
	tcase_add_test(tc, medexctl_reads_the_password_from_stdin_only);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
