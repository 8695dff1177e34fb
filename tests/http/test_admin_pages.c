/*
 * Issues 18 and 20, the admin's side through the API and the pages:
 * a password set by an admin (at creation or by a reset) works once and
 * forces a change before anything else; an admin cannot give themselves
 * a case role or move into an office; an office's target days, changed
 * with If-Match, moves the deadline of new cases only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

#define PW_ONCE		"one time only pass"
#define PW_MINE		"my very own passphrase"
#define PW_RESET	"reset once more pass"

static struct t_session	admin;

static void
setup(void)
{
	t_forget_failures();
	t_user("adp.root", "admin", "ADP");
	t_login_ok("adp.root", &admin);
}

static long
req(const char *method, const char *path, const char *bearer,
    const char *ifm, const char *body, struct t_resp *r)
{
	const char	*h[4] = { bearer, "Content-Type: application/json",
			    ifm, NULL };

	t_request(method, path, h, body, body != NULL ? strlen(body) : 0, r);
	return (r->status);
}

static int
login_flag(const char *user, const char *pw, struct t_session *s)
{
	struct t_resp	 r;
	char		 body[256];
	json_t		*u;
	int		 flag;

	snprintf(body, sizeof(body), "{\"username\":\"%s\",\"password\":"
	    "\"%s\"}", user, pw);
	t_post_json("/api/v1/auth/login", NULL, body, &r);
	ck_assert_msg(r.status == 200, "login %s: %ld", user, r.status);
	u = json_object_get(r.json, "user");
	ck_assert_ptr_nonnull(json_object_get(u, "password_change_required"));
	flag = json_is_true(json_object_get(u, "password_change_required"));
	t_resp_free(&r);
	ck_assert_int_eq(t_login(user, pw, s), 200);
	return (flag);
}

/* A one-time session: 403 on the API, a redirect on the pages. */
static void
assert_locked(struct t_session *s)
{
	struct t_resp	 r;
	const char	*h[2] = { s->cookie, NULL };
	char		*loc;

	t_get("/api/v1/cases", s->bearer, &r);
	t_assert_error(&r, 403, "password_change_required");
	t_resp_free(&r);
	t_get("/api/v1/reference", s->bearer, &r);
	t_assert_error(&r, 403, "password_change_required");
	t_resp_free(&r);
	t_get("/api/v1/me", s->bearer, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert(json_is_true(json_object_get(r.json,
	    "password_change_required")));
	t_resp_free(&r);
	t_request("GET", "/cases", h, NULL, 0, &r);
	ck_assert_int_eq(r.status, 303);
	loc = t_header(&r, "location");
	ck_assert_str_eq(loc, "/account/password");
	free(loc);
	t_resp_free(&r);
	t_request("GET", "/account/password", h, NULL, 0, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "works only once"));
	t_resp_free(&r);
}

/* The change from once to mine; then a normal session. */
static void
change_and_use(const char *user, struct t_session *s, const char *once)
{
	struct t_resp	 r;
	char		 body[256];

	snprintf(body, sizeof(body), "{\"current_password\":\"%s\","
	    "\"new_password\":\"%s\"}", once, once);
	req("POST", "/api/v1/me/password", s->bearer, NULL, body, &r);
	t_assert_error(&r, 422, "validation_failed");
	t_resp_free(&r);
	snprintf(body, sizeof(body), "{\"current_password\":\"%s\","
	    "\"new_password\":\"%s\"}", once, PW_MINE);
	ck_assert_int_eq(req("POST", "/api/v1/me/password", s->bearer, NULL,
	    body, &r), 204);
	t_resp_free(&r);
	t_get("/api/v1/cases", s->bearer, &r);
	ck_assert_int_eq(r.status, 200);
	t_resp_free(&r);
	ck_assert_int_eq(t_login(user, once, s), 401);
	ck_assert_int_eq(login_flag(user, PW_MINE, s), 0);
	t_get("/api/v1/cases", s->bearer, &r);
	ck_assert_int_eq(r.status, 200);
	t_resp_free(&r);
}

START_TEST(a_created_users_password_works_once)
{
	struct t_resp		r;
	struct t_session	s;

	t_office("ADP");
	ck_assert_int_eq(req("POST", "/api/v1/users", admin.bearer, NULL,
	    "{\"username\":\"adp.new\",\"display_name\":\"Dr New\","
	    "\"password\":\"" PW_ONCE "\",\"role\":\"officer\","
	    "\"office\":\"ADP\"}", &r), 201);
	ck_assert(json_is_true(json_object_get(r.json,
	    "password_change_required")));
	t_resp_free(&r);
	ck_assert_int_eq(login_flag("adp.new", PW_ONCE, &s), 1);
	assert_locked(&s);
	change_and_use("adp.new", &s, PW_ONCE);
}
END_TEST

START_TEST(a_reset_password_works_once)
{
	struct t_resp		r;
	struct t_session	s, old;
	char			*etag, ifm[64];

	t_user("adp.reset", "medical_examiner", "ADP");
	t_login_ok("adp.reset", &old);
	t_get("/api/v1/users/adp.reset", admin.bearer, &r);
	etag = t_header(&r, "etag");
	t_resp_free(&r);
	snprintf(ifm, sizeof(ifm), "If-Match: %s", etag);
	free(etag);
	ck_assert_int_eq(req("PATCH", "/api/v1/users/adp.reset", admin.bearer,
	    ifm, "{\"password\":\"" PW_RESET "\"}", &r), 200);
	t_resp_free(&r);
	t_get("/api/v1/me", old.bearer, &r);
	ck_assert_int_eq(r.status, 401);
	t_resp_free(&r);
	ck_assert_int_eq(t_login("adp.reset", T_PASSWORD, &s), 401);
	ck_assert_int_eq(login_flag("adp.reset", PW_RESET, &s), 1);
	assert_locked(&s);
	change_and_use("adp.reset", &s, PW_RESET);
}
END_TEST

START_TEST(an_admin_cannot_change_their_own_role_or_office)
{
	struct t_resp	 r;
	char		*etag, ifm[64];

	t_office("ADP-OTHER");
	t_get("/api/v1/users/adp.root", admin.bearer, &r);
	etag = t_header(&r, "etag");
	t_resp_free(&r);
	snprintf(ifm, sizeof(ifm), "If-Match: %s", etag);
	free(etag);
	req("PATCH", "/api/v1/users/adp.root", admin.bearer, ifm,
	    "{\"role\":\"medical_examiner\"}", &r);
	t_assert_error(&r, 403, "own_account");
	t_resp_free(&r);
	req("PATCH", "/api/v1/users/adp.root", admin.bearer, ifm,
	    "{\"office\":\"ADP-OTHER\"}", &r);
	t_assert_error(&r, 403, "own_account");
	t_resp_free(&r);
	t_get("/api/v1/users/adp.root", admin.bearer, &r);
	ck_assert_str_eq(t_json_str(&r, "role"), "admin");
	ck_assert_str_eq(t_json_str(&r, "office"), "ADP");
	t_resp_free(&r);
	/* Still signed in: nothing changed, no session ended. */
	t_get("/api/v1/me", admin.bearer, &r);
	ck_assert_int_eq(r.status, 200);
	t_resp_free(&r);
}
END_TEST

static void
new_case(struct t_session *s, char deadline[64], char id[32])
{
	struct t_resp	r;

	ck_assert_int_eq(req("POST", "/api/v1/cases", s->bearer, NULL,
	    "{\"given_name\":\"Ann\",\"family_name\":\"Target\","
	    "\"date_of_birth\":\"1940-02-01\",\"sex\":\"female\","
	    "\"date_of_death\":\"2026-11-01\",\"notified_at\":"
	    "\"2026-11-02T10:00:00Z\",\"place_of_death\":\"hospital\","
	    "\"attending_practitioner\":{\"name\":\"Dr A Jones\","
	    "\"gmc_number\":\"1234567\"}}", &r), 201);
	snprintf(deadline, 64, "%s", t_json_str(&r, "deadline"));
	snprintf(id, 32, "%s", t_json_str(&r, "id"));
	t_resp_free(&r);
}

START_TEST(a_new_target_moves_new_cases_only)
{
	struct t_resp		r;
	struct t_session	off;
	char			first[64], again[64], second[64], *etag;
	char			ifm[64], path[64], id[32];

	ck_assert_int_eq(req("POST", "/api/v1/offices", admin.bearer, NULL,
	    "{\"code\":\"ADP-T\",\"name\":\"Target office\","
	    "\"target_days\":3}", &r), 201);
	ck_assert_int_eq(json_integer_value(json_object_get(r.json,
	    "target_days")), 3);
	t_resp_free(&r);
	t_user("adp.off", "officer", "ADP-T");
	t_login_ok("adp.off", &off);
	new_case(&off, first, id);
	ck_assert_ptr_nonnull(strstr(first, "2026-11-05"));

	t_get("/api/v1/offices/ADP-T", admin.bearer, &r);
	ck_assert_int_eq(r.status, 200);
	etag = t_header(&r, "etag");
	t_resp_free(&r);
	req("PATCH", "/api/v1/offices/ADP-T", admin.bearer, NULL,
	    "{\"target_days\":7}", &r);
	t_assert_error(&r, 428, "precondition_required");
	t_resp_free(&r);
	snprintf(ifm, sizeof(ifm), "If-Match: %s", etag);
	free(etag);
	req("PATCH", "/api/v1/offices/ADP-T", admin.bearer, ifm,
	    "{\"target_days\":0}", &r);
	t_assert_error(&r, 422, "validation_failed");
	ck_assert_ptr_nonnull(t_json_str(&r, "error.fields.target_days"));
	t_resp_free(&r);
	req("PATCH", "/api/v1/offices/ADP-T", off.bearer, ifm,
	    "{\"target_days\":7}", &r);
	t_assert_error(&r, 403, "forbidden");
	t_resp_free(&r);
	ck_assert_int_eq(req("PATCH", "/api/v1/offices/ADP-T", admin.bearer,
	    ifm, "{\"target_days\":7}", &r), 200);
	ck_assert_int_eq(json_integer_value(json_object_get(r.json,
	    "target_days")), 7);
	t_resp_free(&r);
	/* A stale version with a bad body: 412 before 422. */
	req("PATCH", "/api/v1/offices/ADP-T", admin.bearer, ifm,
	    "{\"target_days\":99}", &r);
	t_assert_error(&r, 412, "version_mismatch");
	t_resp_free(&r);
	req("PATCH", "/api/v1/offices/NOPE-X", admin.bearer, ifm,
	    "{\"target_days\":7}", &r);
	t_assert_error(&r, 404, "not_found");
	t_resp_free(&r);

	snprintf(path, sizeof(path), "/api/v1/cases/%s", id);
	t_get(path, off.bearer, &r);
	snprintf(again, sizeof(again), "%s", t_json_str(&r, "deadline"));
	t_resp_free(&r);
	ck_assert_str_eq(again, first);
	new_case(&off, second, id);
	ck_assert_msg(strstr(second, "2026-11-09") != NULL, "new: %s",
	    second);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("admin_pages");
	tc = tcase_create("http");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup, NULL);
	tcase_add_test(tc, a_created_users_password_works_once);
	tcase_add_test(tc, a_reset_password_works_once);
	tcase_add_test(tc, an_admin_cannot_change_their_own_role_or_office);
	tcase_add_test(tc, a_new_target_moves_new_cases_only);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
