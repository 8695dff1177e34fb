/*
 * The browser pages over plain HTTP (issue 6): sign in and out with the
 * form and the cookie, CSRF on form POSTs, redirects to /login, 403
 * pages, the security headers, escaping of names, and the assets.
 * tests/e2e/ drives the same pages in a real browser.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

#define FORM	"Content-Type: application/x-www-form-urlencoded"
#define XSS	"<script>alert(1)</script>"

static void
setup(void)
{
	char	cmd[1024];

	t_forget_failures();
	t_user("pages.officer", "officer", "PAGES");
	t_user("pages.admin", "admin", "PAGES");
	t_user("pages.lead", "lead_medical_examiner", "PAGES");
	t_user("pagesb.officer", "officer", "PAGESB");
	snprintf(cmd, sizeof(cmd), "printf '%%s\\n' '%s' | %s/medexctl user "
	    "add pages.xss --role liaison_officer --office PAGES --name '%s' "
	    ">/dev/null 2>&1", T_PASSWORD, getenv("MEDEX_TEST_OUT"), XSS);
	(void)t_run(cmd);
}

static void
post_form(const char *path, const char *cookie, const char *extra,
    const char *body, struct t_resp *r)
{
	const char	*h[4];
	int		 n;

	n = 0;
	h[n++] = FORM;
	if (cookie != NULL)
		h[n++] = cookie;
	if (extra != NULL)
		h[n++] = extra;
	h[n] = NULL;
	t_request("POST", path, h, body, strlen(body), r);
}

static void
get_page(const char *path, const char *cookie, struct t_resp *r)
{
	const char	*h[2] = { cookie, NULL };

	t_request("GET", path, cookie != NULL ? h : NULL, NULL, 0, r);
}

static void
assert_header(const struct t_resp *r, const char *name, const char *want)
{
	char	*v;

	v = t_header(r, name);
	ck_assert_msg(v != NULL, "no %s header", name);
	ck_assert_msg(strstr(v, want) != NULL, "%s: %s, wanted %s", name, v,
	    want);
	free(v);
}

/* Signs in through the form; the "Cookie: medex_session=..." line. */
static void
page_login(const char *username, char *cookie, size_t len)
{
	struct t_resp	 r;
	char		 body[256], *sc, *semi;

	snprintf(body, sizeof(body), "username=%s&password=correct+horse+"
	    "battery", username);
	post_form("/login", NULL, NULL, body, &r);
	ck_assert_msg(r.status == 303, "login %s: %ld", username, r.status);
	assert_header(&r, "location", "/");
	sc = t_header(&r, "set-cookie");
	ck_assert_ptr_nonnull(sc);
	ck_assert_ptr_nonnull(strstr(sc, "HttpOnly"));
	ck_assert_ptr_nonnull(strstr(sc, "SameSite=Strict"));
	if ((semi = strchr(sc, ';')) != NULL)
		*semi = '\0';
	snprintf(cookie, len, "Cookie: %s", sc);
	free(sc);
	t_resp_free(&r);
}

/* The value of the page's first csrf_token field. */
static void
page_csrf(const struct t_resp *r, char *out, size_t len)
{
	const char	*p, *q;

	p = strstr(r->body, "name=\"csrf_token\" value=\"");
	ck_assert_ptr_nonnull(p);
	p += strlen("name=\"csrf_token\" value=\"");
	q = strchr(p, '"');
	ck_assert_ptr_nonnull(q);
	snprintf(out, len, "%.*s", (int)(q - p), p);
}

START_TEST(sign_in_page_has_the_nhs_layout_and_strict_headers)
{
	struct t_resp	r;
	char		*csp;

	get_page("/login", NULL, &r);
	ck_assert_int_eq(r.status, 200);
	assert_header(&r, "content-type", "text/html");
	assert_header(&r, "x-content-type-options", "nosniff");
	assert_header(&r, "referrer-policy", "no-referrer");
	assert_header(&r, "cross-origin-opener-policy", "same-origin");
	assert_header(&r, "cross-origin-resource-policy", "same-origin");
	assert_header(&r, "permissions-policy", "camera=()");
	assert_header(&r, "permissions-policy", "geolocation=()");
	assert_header(&r, "content-security-policy", "frame-ancestors 'none'");
	assert_header(&r, "content-security-policy", "script-src 'self'");
	csp = t_header(&r, "content-security-policy");
	ck_assert_ptr_null(strstr(csp, "unsafe-inline"));
	ck_assert_ptr_null(strstr(csp, "unsafe-eval"));
	free(csp);
	ck_assert_ptr_nonnull(strstr(r.body, "/assets/nhsuk-frontend.min.css"));
	ck_assert_ptr_nonnull(strstr(r.body, "nhsuk-header"));
	ck_assert_ptr_nonnull(strstr(r.body, "<form action=\"/login\""));
	ck_assert_ptr_null(strstr(r.body, "<script>"));
	t_resp_free(&r);
}
END_TEST

START_TEST(assets_are_served_from_the_npm_build_with_their_types)
{
	static const char *const ok[][2] = {
		{ "/assets/nhsuk-frontend.min.css", "text/css" },
		{ "/assets/nhsuk-frontend.min.js", "text/javascript" },
		{ "/assets/medex.js", "text/javascript" },
		{ "/assets/medex.css", "text/css" },
		{ "/assets/images/favicon.svg", "image/svg+xml" },
		{ "/assets/images/nhsuk-icon-cross.svg", "image/svg+xml" },
	};
	static const char *const missing[] = {
		"/assets/none.css", "/assets/images/medex.js", "/assets/x.exe",
		"/assets/%2e%2e%2fmedex.ini", "/assets/package.json",
	};
	struct t_resp	r;
	size_t		i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		get_page(ok[i][0], NULL, &r);
		ck_assert_msg(r.status == 200, "%s: %ld", ok[i][0], r.status);
		assert_header(&r, "content-type", ok[i][1]);
		assert_header(&r, "x-content-type-options", "nosniff");
		ck_assert_uint_gt(r.len, 100);
		t_resp_free(&r);
	}
	for (i = 0; i < sizeof(missing) / sizeof(missing[0]); i++) {
		get_page(missing[i], NULL, &r);
		ck_assert_msg(r.status == 404, "%s: %ld", missing[i], r.status);
		t_resp_free(&r);
	}
}
END_TEST

START_TEST(empty_sign_in_shows_the_error_summary_and_inline_errors)
{
	struct t_resp	r;

	post_form("/login", NULL, NULL, "username=&password=", &r);
	ck_assert_int_eq(r.status, 422);
	ck_assert_ptr_nonnull(strstr(r.body, "<title>Error: Sign in"));
	ck_assert_ptr_nonnull(strstr(r.body, "nhsuk-error-summary"));
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"#username\">Enter your "
	    "username</a>"));
	ck_assert_ptr_nonnull(strstr(r.body, "id=\"password-error\""));
	ck_assert_ptr_null(t_header(&r, "set-cookie"));
	t_resp_free(&r);
}
END_TEST

START_TEST(wrong_password_says_so_keeps_the_username_and_sets_no_cookie)
{
	struct t_resp	r;

	post_form("/login", NULL, NULL,
	    "username=pages.officer&password=not+the+password", &r);
	ck_assert_int_eq(r.status, 401);
	assert_header(&r, "content-type", "text/html");
	ck_assert_ptr_nonnull(strstr(r.body,
	    "The username or password is not right"));
	ck_assert_ptr_nonnull(strstr(r.body, "value=\"pages.officer\""));
	ck_assert_ptr_null(strstr(r.body, "not the password"));
	ck_assert_ptr_null(t_header(&r, "set-cookie"));
	t_resp_free(&r);
	t_forget_failures();
}
END_TEST

START_TEST(signed_in_officer_goes_to_the_queue_and_signs_out_with_csrf)
{
	struct t_resp	r;
	char		cookie[4400], csrf[80], body[200];

	page_login("pages.officer", cookie, sizeof(cookie));
	get_page("/", cookie, &r);
	ck_assert_int_eq(r.status, 303);
	assert_header(&r, "location", "/cases");
	t_resp_free(&r);

	get_page("/cases", cookie, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "Sign out"));
	ck_assert_ptr_nonnull(strstr(r.body, "aria-current=\"page\""));
	page_csrf(&r, csrf, sizeof(csrf));
	ck_assert_uint_eq(strlen(csrf), 32);
	t_resp_free(&r);

	/* Without the token, or with a wrong one: refused, still signed in. */
	post_form("/logout", cookie, NULL, "", &r);
	ck_assert_int_eq(r.status, 403);
	assert_header(&r, "content-type", "text/html");
	ck_assert_ptr_nonnull(strstr(r.body, "This form had expired"));
	t_resp_free(&r);
	post_form("/logout", cookie, NULL, "csrf_token=0123", &r);
	ck_assert_int_eq(r.status, 403);
	t_resp_free(&r);
	get_page("/cases", cookie, &r);
	ck_assert_int_eq(r.status, 200);
	t_resp_free(&r);

	snprintf(body, sizeof(body), "csrf_token=%s", csrf);
	post_form("/logout", cookie, NULL, body, &r);
	ck_assert_int_eq(r.status, 303);
	assert_header(&r, "location", "/login");
	assert_header(&r, "set-cookie", "Max-Age=0");
	t_resp_free(&r);
	get_page("/cases", cookie, &r);
	ck_assert_int_eq(r.status, 303);
	assert_header(&r, "location", "/login");
	t_resp_free(&r);
}
END_TEST

START_TEST(api_login_cookie_opens_pages_with_the_same_csrf_token)
{
	struct t_session	s;
	struct t_resp		r;
	char			csrf[80];

	t_login_ok("pages.officer", &s);
	get_page("/cases", s.cookie, &r);
	ck_assert_int_eq(r.status, 200);
	page_csrf(&r, csrf, sizeof(csrf));
	ck_assert_str_eq(csrf, s.csrf);
	t_resp_free(&r);
}
END_TEST

START_TEST(a_name_with_markup_is_shown_as_text)
{
	struct t_resp	r;
	char		cookie[4400];
	struct t_session s;

	page_login("pages.xss", cookie, sizeof(cookie));
	get_page("/cases", cookie, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_null(strstr(r.body, XSS));
	ck_assert_ptr_nonnull(strstr(r.body,
	    "&lt;script&gt;alert(1)&lt;/script&gt;"));
	t_resp_free(&r);
	t_login_ok("pages.lead", &s);
	get_page("/admin/users", s.cookie, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_null(strstr(r.body, XSS));
	ck_assert_ptr_nonnull(strstr(r.body, "&lt;script&gt;"));
	t_resp_free(&r);
}
END_TEST

START_TEST(pages_without_a_session_go_to_sign_in)
{
	static const char *const paths[] = { "/", "/cases", "/admin/users",
	    "/admin/offices" };
	struct t_resp	r;
	size_t		i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		get_page(paths[i], NULL, &r);
		ck_assert_msg(r.status == 303, "%s: %ld", paths[i], r.status);
		assert_header(&r, "location", "/login");
		t_resp_free(&r);
		get_page(paths[i], "Cookie: medex_session=eyJnot.a.token", &r);
		ck_assert_msg(r.status == 303, "%s: %ld", paths[i], r.status);
		t_resp_free(&r);
	}
	/* A form POST without a session does not sign anyone out. */
	post_form("/logout", NULL, NULL, "csrf_token=x", &r);
	ck_assert_int_eq(r.status, 303);
	t_resp_free(&r);
}
END_TEST

START_TEST(a_role_without_the_right_gets_a_403_page)
{
	struct t_session	admin, officer;
	struct t_resp		r;

	t_login_ok("pages.admin", &admin);
	t_login_ok("pages.officer", &officer);
	get_page("/cases", admin.cookie, &r);
	ck_assert_int_eq(r.status, 403);
	assert_header(&r, "content-type", "text/html");
	ck_assert_ptr_nonnull(strstr(r.body, "You cannot do this"));
	/* The menu never offers what the role may not open. */
	ck_assert_ptr_null(strstr(r.body, "href=\"/cases\""));
	t_resp_free(&r);
	get_page("/admin/offices", officer.cookie, &r);
	ck_assert_int_eq(r.status, 403);
	t_resp_free(&r);
	get_page("/admin/users", officer.cookie, &r);
	ck_assert_int_eq(r.status, 403);
	t_resp_free(&r);
	get_page("/cases", officer.cookie, &r);
	ck_assert_ptr_null(strstr(r.body, "/admin/"));
	t_resp_free(&r);
}
END_TEST

START_TEST(admin_pages_list_offices_and_users_a_lead_only_their_own)
{
	struct t_session	admin, lead;
	struct t_resp		r;

	t_login_ok("pages.admin", &admin);
	get_page("/", admin.cookie, &r);
	ck_assert_int_eq(r.status, 303);
	assert_header(&r, "location", "/admin/users");
	t_resp_free(&r);
	get_page("/admin/offices", admin.cookie, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, ">PAGESB<"));
	t_resp_free(&r);
	get_page("/admin/users", admin.cookie, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "pagesb.officer"));
	t_resp_free(&r);

	t_login_ok("pages.lead", &lead);
	get_page("/admin/users", lead.cookie, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "pages.officer"));
	ck_assert_ptr_null(strstr(r.body, "pagesb.officer"));
	t_resp_free(&r);
}
END_TEST

START_TEST(cross_site_form_posts_are_refused)
{
	struct t_resp	r;

	post_form("/login", NULL, "Sec-Fetch-Site: cross-site",
	    "username=pages.officer&password=correct+horse+battery", &r);
	ck_assert_int_eq(r.status, 403);
	ck_assert_ptr_null(t_header(&r, "set-cookie"));
	t_resp_free(&r);
}
END_TEST

START_TEST(unknown_pages_are_404_pages_and_bad_forms_400)
{
	struct t_resp	r;

	get_page("/no/such/page", NULL, &r);
	ck_assert_int_eq(r.status, 404);
	assert_header(&r, "content-type", "text/html");
	ck_assert_ptr_nonnull(strstr(r.body, "Page not found"));
	assert_header(&r, "content-security-policy", "default-src 'none'");
	t_resp_free(&r);
	post_form("/login", NULL, NULL, "username=%zz", &r);
	ck_assert_int_eq(r.status, 400);
	t_resp_free(&r);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("pages");
	tc = tcase_create("http");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup, NULL);
	tcase_add_test(tc, sign_in_page_has_the_nhs_layout_and_strict_headers);
	tcase_add_test(tc, assets_are_served_from_the_npm_build_with_their_types);
	tcase_add_test(tc,
	    empty_sign_in_shows_the_error_summary_and_inline_errors);
	tcase_add_test(tc,
	    wrong_password_says_so_keeps_the_username_and_sets_no_cookie);
	tcase_add_test(tc,
	    signed_in_officer_goes_to_the_queue_and_signs_out_with_csrf);
	tcase_add_test(tc,
	    api_login_cookie_opens_pages_with_the_same_csrf_token);
	tcase_add_test(tc, a_name_with_markup_is_shown_as_text);
	tcase_add_test(tc, pages_without_a_session_go_to_sign_in);
	tcase_add_test(tc, a_role_without_the_right_gets_a_403_page);
	tcase_add_test(tc,
	    admin_pages_list_offices_and_users_a_lead_only_their_own);
	tcase_add_test(tc, cross_site_form_posts_are_refused);
	tcase_add_test(tc, unknown_pages_are_404_pages_and_bad_forms_400);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
