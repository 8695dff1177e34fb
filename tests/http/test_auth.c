/*
 * Login, logout, refresh, /me, CSRF for cookie sessions, throttling, and
 * the security audit rows they leave (issue 4, acceptance 4, 5, 7).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

static void
setup(void)
{
	t_user("auth.me", "medical_examiner", "AUTH");
	t_user("auth.admin", "admin", "AUTH");
	t_user("auth.off", "officer", "AUTH");
	t_forget_failures();
}

static long
me_status(const char *header)
{
	struct t_resp	r;
	long		s;

	t_get("/api/v1/me", header, &r);
	s = r.status;
	if (s == 401)
		t_assert_error(&r, 401, "unauthenticated");
	t_resp_free(&r);
	return (s);
}

static int
audit_count(const char *action, const char *actor)
{
	PGconn		*db;
	const char	*p[2];
	char		*v;
	int		 n;

	db = t_db("db_owner");
	p[0] = action;
	p[1] = actor;
	v = t_db_value_p(db, "SELECT count(*) FROM security_events "
	    "WHERE action = $1 AND actor = $2", 2, p);
	n = atoi(v);
	free(v);
	PQfinish(db);
	return (n);
}

START_TEST(login_gives_token_cookie_and_csrf)
{
	struct t_resp	 r;
	char		*sc;
	const char	*h[2] = { NULL, NULL };
	struct t_session s;

	t_post_json("/api/v1/auth/login", NULL, "{\"username\":\"Auth.ME\","
	    "\"password\":\"" T_PASSWORD "\"}", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(t_json_str(&r, "token_type"), "Bearer");
	ck_assert_str_eq(t_json_str(&r, "user.username"), "auth.me");
	ck_assert_str_eq(t_json_str(&r, "user.role"), "medical_examiner");
	ck_assert_str_eq(t_json_str(&r, "user.office"), "AUTH");
	ck_assert_ptr_nonnull(t_json_str(&r, "csrf_token"));
	ck_assert(json_integer_value(json_object_get(r.json,
	    "expires_in")) == 3600);
	sc = t_header(&r, "set-cookie");
	ck_assert_ptr_nonnull(sc);
	ck_assert_ptr_nonnull(strstr(sc, "medex_session="));
	ck_assert_ptr_nonnull(strstr(sc, "HttpOnly"));
	ck_assert_ptr_nonnull(strstr(sc, "SameSite=Strict"));
	ck_assert_ptr_nonnull(strstr(sc, "Path=/"));
	ck_assert_ptr_null(strstr(sc, "Secure"));
	free(sc);
	t_resp_free(&r);

	t_login_ok("auth.me", &s);
	t_get("/api/v1/me", s.bearer, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(t_json_str(&r, "username"), "auth.me");
	t_resp_free(&r);
	h[0] = s.cookie;
	t_request("GET", "/api/v1/me", h, NULL, 0, &r);
	ck_assert_int_eq(r.status, 200);
	t_resp_free(&r);
	ck_assert_int_ge(audit_count("login", "auth.me"), 2);
}
END_TEST

START_TEST(secure_cookie_behind_tls_proxy)
{
	struct t_resp	 r;
	char		*sc;
	const char	*h[3] = { "Content-Type: application/json",
			    "X-Forwarded-Proto: https", NULL };
	const char	*body = "{\"username\":\"auth.me\",\"password\":\""
			    T_PASSWORD "\"}";

	t_request("POST", "/api/v1/auth/login", h, body, strlen(body), &r);
	ck_assert_int_eq(r.status, 200);
	sc = t_header(&r, "set-cookie");
	ck_assert_ptr_nonnull(strstr(sc, "; Secure"));
	free(sc);
	t_resp_free(&r);
}
END_TEST

START_TEST(wrong_password_and_unknown_user_answer_alike)
{
	struct t_resp	r1, r2;

	t_post_json("/api/v1/auth/login", NULL, "{\"username\":\"auth.me\","
	    "\"password\":\"not the password\"}", &r1);
	t_post_json("/api/v1/auth/login", NULL, "{\"username\":\"nobody.here\","
	    "\"password\":\"not the password\"}", &r2);
	t_assert_error(&r1, 401, "invalid_credentials");
	t_assert_error(&r2, 401, "invalid_credentials");
	ck_assert_str_eq(r1.body, r2.body);
	t_resp_free(&r1);
	t_resp_free(&r2);
	ck_assert_int_ge(audit_count("login_failed", "nobody.here"), 1);
	t_forget_failures();
}
END_TEST

START_TEST(bad_login_bodies_are_refused)
{
	struct t_resp	 r;
	const char	*h[2] = { "Content-Type: text/plain", NULL };

	t_post_json("/api/v1/auth/login", NULL, "{\"username\":", &r);
	t_assert_error(&r, 400, "malformed_json");
	t_resp_free(&r);
	t_post_json("/api/v1/auth/login", NULL, "[1,2]", &r);
	t_assert_error(&r, 400, "malformed_json");
	t_resp_free(&r);
	/* jansson refuses \u0000 in strings: not JSON medex accepts. */
	t_post_json("/api/v1/auth/login", NULL, "{\"username\":\"a\\u0000b\","
	    "\"password\":\"x\"}", &r);
	t_assert_error(&r, 400, "malformed_json");
	t_resp_free(&r);
	t_post_json("/api/v1/auth/login", NULL, "{\"username\":1,"
	    "\"password\":\"x\",\"extra\":true}", &r);
	t_assert_error(&r, 422, "validation_failed");
	ck_assert_ptr_nonnull(t_json_str(&r, "error.fields.username"));
	ck_assert_ptr_nonnull(t_json_str(&r, "error.fields.extra"));
	t_resp_free(&r);
	t_request("POST", "/api/v1/auth/login", h, "{}", 2, &r);
	t_assert_error(&r, 415, "unsupported_media_type");
	t_resp_free(&r);
	t_post_json("/api/v1/auth/login", NULL,
	    "{\"username\":\"a\",\"username\":\"b\",\"password\":\"x\"}", &r);
	t_assert_error(&r, 400, "malformed_json");
	t_resp_free(&r);
}
END_TEST

START_TEST(one_megabyte_body_is_413_json)
{
	struct t_resp	 r;
	char		*big;
	size_t		 n = 1024 * 1024;

	big = malloc(n);
	memset(big, ' ', n);
	big[0] = '{';
	big[n - 1] = '}';
	t_request("POST", "/api/v1/auth/login", (const char *[]){
	    "Content-Type: application/json", NULL }, big, n, &r);
	t_assert_error(&r, 413, "payload_too_large");
	t_resp_free(&r);
	free(big);
}
END_TEST

START_TEST(sixth_failure_is_throttled_even_with_right_password)
{
	struct t_session	 s;
	struct t_resp		 r;
	char			*ra;
	int			 i;

	for (i = 0; i < 5; i++)
		ck_assert_int_eq(t_login("auth.off", "wrong password!",
		    &s), 401);
	t_post_json("/api/v1/auth/login", NULL, "{\"username\":\"auth.off\","
	    "\"password\":\"" T_PASSWORD "\"}", &r);
	t_assert_error(&r, 429, "too_many_attempts");
	ra = t_header(&r, "retry-after");
	ck_assert_ptr_nonnull(ra);
	ck_assert_int_gt(atoi(ra), 800);
	ck_assert_int_le(atoi(ra), 900);
	free(ra);
	t_resp_free(&r);
	ck_assert_int_ge(audit_count("login_throttled", "auth.off"), 1);
	t_forget_failures();
	t_login_ok("auth.off", &s);
}
END_TEST

START_TEST(success_clears_the_username_count)
{
	struct t_session	s;
	int			i;

	for (i = 0; i < 4; i++)
		ck_assert_int_eq(t_login("auth.off", "wrong password!",
		    &s), 401);
	t_login_ok("auth.off", &s);
	for (i = 0; i < 5; i++)
		ck_assert_int_eq(t_login("auth.off", "wrong password!",
		    &s), 401);
	ck_assert_int_eq(t_login("auth.off", T_PASSWORD, &s), 429);
	t_forget_failures();
}
END_TEST

START_TEST(twenty_first_failure_from_one_address_is_throttled)
{
	struct t_session	s;
	char			name[64];
	int			i;

	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "ghost.%d", i);
		ck_assert_int_eq(t_login(name, "wrong password!", &s), 401);
	}
	ck_assert_int_eq(t_login("auth.me", T_PASSWORD, &s), 429);
	t_forget_failures();
	t_login_ok("auth.me", &s);
}
END_TEST

START_TEST(logout_revokes_that_token_at_once)
{
	struct t_session	s1, s2;
	struct t_resp		r;
	const char		*h[2];

	t_login_ok("auth.me", &s1);
	t_login_ok("auth.me", &s2);
	h[0] = s1.bearer;
	h[1] = NULL;
	t_request("POST", "/api/v1/auth/logout", h, NULL, 0, &r);
	ck_assert_int_eq(r.status, 204);
	t_resp_free(&r);
	ck_assert_int_eq(me_status(s1.bearer), 401);
	ck_assert_int_eq(me_status(s2.bearer), 200);
	ck_assert_int_ge(audit_count("logout", "auth.me"), 1);
	ck_assert_int_ge(audit_count("token_refused", "auth.me"), 1);
}
END_TEST

START_TEST(refresh_replaces_the_token)
{
	struct t_session	s;
	struct t_resp		r;
	const char		*h[2];
	char			 bearer[4300];

	t_login_ok("auth.me", &s);
	h[0] = s.bearer;
	h[1] = NULL;
	t_request("POST", "/api/v1/auth/refresh", h, NULL, 0, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(t_json_str(&r, "user.username"), "auth.me");
	snprintf(bearer, sizeof(bearer), "Authorization: Bearer %s",
	    t_json_str(&r, "token"));
	t_resp_free(&r);
	ck_assert_int_eq(me_status(s.bearer), 401);
	ck_assert_int_eq(me_status(bearer), 200);
}
END_TEST

START_TEST(cookie_post_needs_the_csrf_token)
{
	struct t_session	s;
	struct t_resp		r;
	const char		*h[3];
	char			 x[128];

	t_login_ok("auth.me", &s);
	h[0] = s.cookie;
	h[1] = NULL;
	t_request("POST", "/api/v1/auth/logout", h, NULL, 0, &r);
	t_assert_error(&r, 403, "csrf_failed");
	t_resp_free(&r);
	snprintf(x, sizeof(x), "X-CSRF-Token: %s", "0000");
	h[1] = x;
	h[2] = NULL;
	t_request("POST", "/api/v1/auth/logout", h, NULL, 0, &r);
	t_assert_error(&r, 403, "csrf_failed");
	t_resp_free(&r);
	ck_assert_int_eq(me_status(s.bearer), 200);
	snprintf(x, sizeof(x), "X-CSRF-Token: %s", s.csrf);
	t_request("POST", "/api/v1/auth/logout", h, NULL, 0, &r);
	ck_assert_int_eq(r.status, 204);
	t_resp_free(&r);
	ck_assert_int_eq(me_status(s.bearer), 401);
	ck_assert_int_ge(audit_count("csrf_refused", "auth.me"), 2);
}
END_TEST

START_TEST(bearer_post_needs_no_csrf_token)
{
	struct t_session	s;
	struct t_resp		r;
	const char		*h[2];

	t_login_ok("auth.me", &s);
	h[0] = s.bearer;
	h[1] = NULL;
	t_request("POST", "/api/v1/auth/refresh", h, NULL, 0, &r);
	ck_assert_int_eq(r.status, 200);
	t_resp_free(&r);
}
END_TEST

START_TEST(security_audit_is_append_only_for_the_server)
{
	PGconn	*db;
	char	 state[8];

	db = t_db("db_app");
	ck_assert_int_eq(t_db_exec(db, "UPDATE security_events SET actor = "
	    "'x'", state, sizeof(state)), -1);
	ck_assert_str_eq(state, "42501");
	ck_assert_int_eq(t_db_exec(db, "DELETE FROM security_events", state,
	    sizeof(state)), -1);
	ck_assert_str_eq(state, "42501");
	ck_assert_int_eq(t_db_exec(db, "TRUNCATE security_events", state,
	    sizeof(state)), -1);
	ck_assert_str_eq(state, "42501");
	PQfinish(db);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("auth");
	tc = tcase_create("http");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup, NULL);
	tcase_add_test(tc, login_gives_token_cookie_and_csrf);
	tcase_add_test(tc, secure_cookie_behind_tls_proxy);
	tcase_add_test(tc, wrong_password_and_unknown_user_answer_alike);
	tcase_add_test(tc, bad_login_bodies_are_refused);
	tcase_add_test(tc, one_megabyte_body_is_413_json);
	tcase_add_test(tc, sixth_failure_is_throttled_even_with_right_password);
	tcase_add_test(tc, success_clears_the_username_count);
	tcase_add_test(tc, twenty_first_failure_from_one_address_is_throttled);
	tcase_add_test(tc, logout_revokes_that_token_at_once);
	tcase_add_test(tc, refresh_replaces_the_token);
	tcase_add_test(tc, cookie_post_needs_the_csrf_token);
	tcase_add_test(tc, bearer_post_needs_no_csrf_token);
	tcase_add_test(tc, security_audit_is_append_only_for_the_server);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
