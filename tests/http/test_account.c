/*
 * The signed-in user's own account: coming back to the page asked for
 * after signing in (only a local path), and changing one's own password
 * (POST /api/v1/me/password and /account/password), which ends the
 * user's other sessions and retires the old password.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

#define FORM	"Content-Type: application/x-www-form-urlencoded"
#define NEWPW	"a new password for acc"

static void
setup(void)
{
	t_forget_failures();
	t_user("acc.me", "medical_examiner", "ACC");
	t_user("acc.off", "officer", "ACC");
	t_user("acc.page", "officer", "ACC");
}

static void
post_form(const char *path, const char *cookie, const char *body,
    struct t_resp *r)
{
	const char	*h[3] = { FORM, cookie, NULL };

	h[1] = cookie;
	t_request("POST", path, h, body, strlen(body), r);
}

static void
assert_location(const struct t_resp *r, const char *want)
{
	char	*loc;

	ck_assert_msg(r->status == 303, "status %ld", r->status);
	loc = t_header(r, "location");
	ck_assert_ptr_nonnull(loc);
	ck_assert_str_eq(loc, want);
	free(loc);
}

START_TEST(a_signed_out_page_is_asked_for_again_after_sign_in)
{
	struct t_resp	r;
	char		body[512];

	t_get("/cases/12?x=1", NULL, &r);
	assert_location(&r, "/login?next=%2Fcases%2F12%3Fx%3D1");
	t_resp_free(&r);
	t_get("/login?next=%2Fcases%2F12%3Fx%3D1", NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "name=\"next\" value=\""
	    "/cases/12?x=1\""));
	t_resp_free(&r);
	snprintf(body, sizeof(body), "username=acc.off&password=%s&next="
	    "%%2Fcases%%2F12%%3Fx%%3D1", "correct+horse+battery");
	post_form("/login", NULL, body, &r);
	assert_location(&r, "/cases/12?x=1");
	t_resp_free(&r);
	/* A wrong password keeps the next field for the second try. */
	post_form("/login", NULL, "username=acc.off&password=wrongwrongwrong"
	    "&next=%2Fcases", &r);
	ck_assert_int_eq(r.status, 401);
	ck_assert_ptr_nonnull(strstr(r.body, "name=\"next\" value=\"/cases\""));
	t_resp_free(&r);
	t_forget_failures();
}
END_TEST

START_TEST(another_site_is_never_returned_to)
{
	static const char *const evil[] = { "https%3A%2F%2Fevil.example%2F",
	    "%2F%2Fevil.example%2F", "%2F%5Cevil", "%2Fcases%0D%0AX%3A1",
	    "javascript%3Aalert(1)", "%2Flogin" };
	struct t_resp	r;
	char		body[512], path[256];
	size_t		i;

	for (i = 0; i < sizeof(evil) / sizeof(evil[0]); i++) {
		snprintf(path, sizeof(path), "/login?next=%s", evil[i]);
		t_get(path, NULL, &r);
		ck_assert_int_eq(r.status, 200);
		ck_assert_msg(strstr(r.body, "name=\"next\"") == NULL,
		    "next kept for %s", evil[i]);
		t_resp_free(&r);
		snprintf(body, sizeof(body), "username=acc.off&password="
		    "correct+horse+battery&next=%s", evil[i]);
		post_form("/login", NULL, body, &r);
		assert_location(&r, "/");
		t_resp_free(&r);
	}
	/* The start page itself is not carried. */
	t_get("/", NULL, &r);
	assert_location(&r, "/login");
	t_resp_free(&r);
}
END_TEST

static long
change(const struct t_session *s, const char *body, struct t_resp *r)
{
	t_post_json("/api/v1/me/password", s->bearer, body, r);
	return (r->status);
}

START_TEST(changing_ones_password_ends_the_other_sessions)
{
	struct t_session	s1, s2, s3;
	struct t_resp		r;

	t_login_ok("acc.me", &s1);
	t_login_ok("acc.me", &s2);
	change(&s1, "{\"current_password\":\"not it at all\","
	    "\"new_password\":\"" NEWPW "\"}", &r);
	t_assert_error(&r, 422, "validation_failed");
	ck_assert_ptr_nonnull(json_object_get(json_object_get(json_object_get(
	    r.json, "error"), "fields"), "current_password"));
	t_resp_free(&r);
	/* Nothing changed: both sessions live, the old password works. */
	t_get("/api/v1/me", s2.bearer, &r);
	ck_assert_int_eq(r.status, 200);
	t_resp_free(&r);

	ck_assert_int_eq(change(&s1, "{\"current_password\":\""
	    T_PASSWORD "\",\"new_password\":\"" NEWPW "\"}", &r), 204);
	t_resp_free(&r);
	t_get("/api/v1/me", s1.bearer, &r);
	ck_assert_int_eq(r.status, 200);
	t_resp_free(&r);
	t_get("/api/v1/me", s2.bearer, &r);
	t_assert_error(&r, 401, "unauthenticated");
	t_resp_free(&r);
	ck_assert_int_eq(t_login("acc.me", T_PASSWORD, &s3), 401);
	ck_assert_int_eq(t_login("acc.me", NEWPW, &s3), 200);
	t_forget_failures();
}
END_TEST

START_TEST(bad_password_changes_are_refused_and_change_nothing)
{
	struct t_session	s;
	struct t_resp		r;

	t_login_ok("acc.off", &s);
	change(&s, "{\"current_password\":\"" T_PASSWORD "\","
	    "\"new_password\":\"short\"}", &r);
	t_assert_error(&r, 422, "validation_failed");
	t_resp_free(&r);
	change(&s, "{\"current_password\":\"" T_PASSWORD "\","
	    "\"new_password\":\"" NEWPW "\",\"extra\":1}", &r);
	t_assert_error(&r, 422, "validation_failed");
	t_resp_free(&r);
	change(&s, "{\"current_password\":\"" T_PASSWORD "\","
	    "\"new_password\":12345678901234}", &r);
	t_assert_error(&r, 422, "validation_failed");
	t_resp_free(&r);
	change(&s, "{\"current_password\":", &r);
	t_assert_error(&r, 400, "malformed_json");
	t_resp_free(&r);
	t_post_json("/api/v1/me/password", NULL, "{\"current_password\":\""
	    T_PASSWORD "\",\"new_password\":\"" NEWPW "\"}", &r);
	t_assert_error(&r, 401, "unauthenticated");
	t_resp_free(&r);
	/* Still the old password. */
	ck_assert_int_eq(t_login("acc.off", T_PASSWORD, &s), 200);
}
END_TEST

static void
hidden_csrf(const struct t_resp *r, char *out, size_t len)
{
	const char	*p, *q;

	p = strstr(r->body, "name=\"csrf_token\" value=\"");
	ck_assert_ptr_nonnull(p);
	p += strlen("name=\"csrf_token\" value=\"");
	q = strchr(p, '"');
	snprintf(out, len, "%.*s", (int)(q - p), p);
}

START_TEST(the_password_page_changes_it)
{
	struct t_session	s;
	struct t_resp		r;
	const char		*h[2];
	char			csrf[80], body[512];

	t_login_ok("acc.page", &s);
	h[0] = s.cookie;
	h[1] = NULL;
	t_request("GET", "/account/password", h, NULL, 0, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "Change your password"));
	hidden_csrf(&r, csrf, sizeof(csrf));
	t_resp_free(&r);
	/* The header's name links here. */
	t_request("GET", "/cases", h, NULL, 0, &r);
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"/account/password\""));
	t_resp_free(&r);
	snprintf(body, sizeof(body), "csrf_token=%s&current_password=wrongwrong"
	    "wrong&new_password=another+good+password", csrf);
	post_form("/account/password", s.cookie, body, &r);
	ck_assert_int_eq(r.status, 422);
	ck_assert_ptr_nonnull(strstr(r.body, "Your current password is not "
	    "right"));
	t_resp_free(&r);
	snprintf(body, sizeof(body), "csrf_token=%s&current_password="
	    "correct+horse+battery&new_password=short", csrf);
	post_form("/account/password", s.cookie, body, &r);
	ck_assert_int_eq(r.status, 422);
	t_resp_free(&r);
	snprintf(body, sizeof(body), "current_password=correct+horse+battery"
	    "&new_password=another+good+password");
	post_form("/account/password", s.cookie, body, &r);
	ck_assert_int_eq(r.status, 403);
	t_resp_free(&r);
	snprintf(body, sizeof(body), "csrf_token=%s&current_password="
	    "correct+horse+battery&new_password=another+good+password", csrf);
	post_form("/account/password", s.cookie, body, &r);
	assert_location(&r, "/account/password?changed=1");
	t_resp_free(&r);
	t_request("GET", "/account/password?changed=1", h, NULL, 0, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "Your password has been changed"));
	t_resp_free(&r);
	ck_assert_int_eq(t_login("acc.page", "another good password", &s),
	    200);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("account");
	tc = tcase_create("account");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup, NULL);
	tcase_add_test(tc, a_signed_out_page_is_asked_for_again_after_sign_in);
	tcase_add_test(tc, another_site_is_never_returned_to);
	tcase_add_test(tc, changing_ones_password_ends_the_other_sessions);
	tcase_add_test(tc, bad_password_changes_are_refused_and_change_nothing);
	tcase_add_test(tc, the_password_page_changes_it);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
