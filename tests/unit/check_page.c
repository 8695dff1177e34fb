#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "page.h"
#include "token.h"

static const char	xss1[] = "<script>alert(1)</script>";
static const char	xss2[] = "\"><img src=x onerror=alert(1)>";

START_TEST(layout_has_service_name_assets_and_no_inline_script)
{
	struct sbuf	sb;

	sbuf_init(&sb, PAGE_MAX);
	page_begin(&sb, "Sign in", 0, NULL, NAV_NONE);
	page_end(&sb);
	ck_assert(!sb.oom);
	ck_assert_ptr_nonnull(strstr(sb.data, "<title>Sign in - medex</title>"));
	ck_assert_ptr_nonnull(strstr(sb.data,
	    "nhsuk-header__service-name\">medex<"));
	ck_assert_ptr_nonnull(strstr(sb.data,
	    "<script type=\"module\" src=\"/assets/medex.js\"></script>"));
	/* The only script is the external one; no inline style at all. */
	ck_assert_ptr_null(strstr(sb.data, "<script>"));
	ck_assert_ptr_null(strstr(sb.data, "style="));
	ck_assert_ptr_null(strstr(sb.data, "<style"));
	ck_assert_ptr_nonnull(strstr(sb.data, "id=\"maincontent\""));
	/* Signed out: no account menu. */
	ck_assert_ptr_null(strstr(sb.data, "/logout"));
	sbuf_free(&sb);
}
END_TEST

START_TEST(signed_in_header_escapes_the_name_and_has_sign_out)
{
	struct sbuf		sb;
	struct page_user	u = { "ada", xss1, ROLE_OFFICER, "DEMO", "abc" };

	sbuf_init(&sb, PAGE_MAX);
	page_begin(&sb, xss2, 1, &u, NAV_CASES);
	page_end(&sb);
	ck_assert_ptr_null(strstr(sb.data, xss1));
	ck_assert_ptr_null(strstr(sb.data, xss2));
	ck_assert_ptr_nonnull(strstr(sb.data,
	    "&lt;script&gt;alert(1)&lt;/script&gt;"));
	ck_assert_ptr_nonnull(strstr(sb.data, "<title>Error: &quot;&gt;"));
	ck_assert_ptr_nonnull(strstr(sb.data, "action=\"/logout\""));
	ck_assert_ptr_nonnull(strstr(sb.data,
	    "name=\"csrf_token\" value=\"abc\""));
	ck_assert_ptr_nonnull(strstr(sb.data, "aria-current=\"page\""));
	sbuf_free(&sb);
}
END_TEST

START_TEST(menu_shows_only_what_the_role_may_open)
{
	struct sbuf		sb;
	struct page_user	u = { "a", NULL, ROLE_ADMIN, "DEMO", "" };

	sbuf_init(&sb, PAGE_MAX);
	page_begin(&sb, "x", 0, &u, NAV_NONE);
	ck_assert_ptr_null(strstr(sb.data, "href=\"/cases\""));
	ck_assert_ptr_nonnull(strstr(sb.data, "href=\"/admin/offices\""));
	sbuf_reset(&sb);
	u.role = ROLE_LIAISON_OFFICER;
	page_begin(&sb, "x", 0, &u, NAV_NONE);
	ck_assert_ptr_nonnull(strstr(sb.data, "href=\"/cases\""));
	ck_assert_ptr_null(strstr(sb.data, "href=\"/admin/"));
	ck_assert_ptr_null(strstr(sb.data, "href=\"/office\""));
	sbuf_reset(&sb);
	u.role = ROLE_LEAD_MEDICAL_EXAMINER;
	page_begin(&sb, "x", 0, &u, NAV_OFFICE);
	ck_assert_ptr_nonnull(strstr(sb.data, "href=\"/office\" "
	    "aria-current=\"page\""));
	sbuf_free(&sb);
}
END_TEST

START_TEST(error_summary_links_to_fields_and_takes_focus)
{
	struct sbuf		sb;
	struct page_error	e[2] = { { "username", "Enter your username" },
				    { NULL, xss1 } };

	sbuf_init(&sb, PAGE_MAX);
	page_error_summary(&sb, e, 2);
	ck_assert_ptr_nonnull(strstr(sb.data, "autofocus"));
	ck_assert_ptr_nonnull(strstr(sb.data, "role=\"alert\""));
	ck_assert_ptr_nonnull(strstr(sb.data,
	    "<a href=\"#username\">Enter your username</a>"));
	ck_assert_ptr_null(strstr(sb.data, xss1));
	sbuf_reset(&sb);
	page_error_summary(&sb, e, 0);
	ck_assert_str_eq(sb.data, "");
	sbuf_free(&sb);
}
END_TEST

START_TEST(field_with_error_is_described_by_it)
{
	struct sbuf		sb;
	struct page_input	in = { "username", "Username", "A hint", xss2,
				    "text", "username", "Enter it", "20" };

	sbuf_init(&sb, PAGE_MAX);
	page_field(&sb, &in);
	ck_assert_ptr_nonnull(strstr(sb.data, "nhsuk-form-group--error"));
	ck_assert_ptr_nonnull(strstr(sb.data,
	    "aria-describedby=\"username-hint username-error\""));
	ck_assert_ptr_nonnull(strstr(sb.data, "id=\"username-error\""));
	ck_assert_ptr_nonnull(strstr(sb.data, "<label class=\"nhsuk-label\" "
	    "for=\"username\">Username</label>"));
	ck_assert_ptr_nonnull(strstr(sb.data,
	    "value=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\""));
	ck_assert_ptr_nonnull(strstr(sb.data, "nhsuk-input--width-20"));
	sbuf_free(&sb);
}
END_TEST

START_TEST(table_cells_and_links_are_escaped)
{
	struct sbuf		 sb;
	const char *const	 heads[2] = { "Code", "Name" };
	const char *const	 cells[2] = { "X1", xss1 };
	const char *const	 links[2] = { "javascript:alert(1)", NULL };

	sbuf_init(&sb, PAGE_MAX);
	page_table_begin(&sb, "Offices", heads, 2);
	page_table_row(&sb, cells, links, 2);
	page_table_end(&sb);
	ck_assert_ptr_null(strstr(sb.data, xss1));
	ck_assert_ptr_null(strstr(sb.data, "javascript:"));
	ck_assert_ptr_nonnull(strstr(sb.data, "scope=\"row\""));
	sbuf_free(&sb);
}
END_TEST

START_TEST(csp_forbids_inline_script_and_framing)
{
	ck_assert_ptr_null(strstr(PAGE_CSP, "unsafe-inline"));
	ck_assert_ptr_null(strstr(PAGE_CSP, "unsafe-eval"));
	ck_assert_ptr_nonnull(strstr(PAGE_CSP, "frame-ancestors 'none'"));
	ck_assert_ptr_nonnull(strstr(PAGE_CSP, "script-src 'self'"));
}
END_TEST

START_TEST(csrf_token_depends_on_the_session_token_only)
{
	char	a[TOKEN_CSRF_LEN + 1], b[TOKEN_CSRF_LEN + 1];
	char	c[TOKEN_CSRF_LEN + 1];

	ck_assert_int_eq(token_csrf_hex("eyJ.one.sig", a), 1);
	ck_assert_int_eq(token_csrf_hex("eyJ.one.sig", b), 1);
	ck_assert_int_eq(token_csrf_hex("eyJ.two.sig", c), 1);
	ck_assert_uint_eq(strlen(a), TOKEN_CSRF_LEN);
	ck_assert_str_eq(a, b);
	ck_assert_str_ne(a, c);
	ck_assert_int_eq(token_csrf_hex("", a), 0);
	ck_assert_str_eq(a, "");
}
END_TEST

START_TEST(form_keys_are_random_hex_in_a_hidden_field)
{
	struct sbuf	sb;
	char		a[PAGE_KEY_LEN + 1], b[PAGE_KEY_LEN + 1];

	ck_assert_int_eq(page_form_key(a), 0);
	ck_assert_int_eq(page_form_key(b), 0);
	ck_assert_uint_eq(strlen(a), PAGE_KEY_LEN);
	ck_assert_uint_eq(strspn(a, "0123456789abcdef"), PAGE_KEY_LEN);
	ck_assert_str_ne(a, b);
	sbuf_init(&sb, PAGE_MAX);
	ck_assert_int_eq(page_key_field(&sb), 0);
	ck_assert_ptr_nonnull(strstr(sb.data, "<input type=\"hidden\" "
	    "name=\"form_key\" value=\""));
	sbuf_free(&sb);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	s = suite_create("page");
	tc = tcase_create("core");
	tcase_add_test(tc, layout_has_service_name_assets_and_no_inline_script);
	tcase_add_test(tc, signed_in_header_escapes_the_name_and_has_sign_out);
	tcase_add_test(tc, menu_shows_only_what_the_role_may_open);
	tcase_add_test(tc, error_summary_links_to_fields_and_takes_focus);
	tcase_add_test(tc, field_with_error_is_described_by_it);
	tcase_add_test(tc, table_cells_and_links_are_escaped);
	tcase_add_test(tc, csp_forbids_inline_script_and_framing);
	tcase_add_test(tc, csrf_token_depends_on_the_session_token_only);
	tcase_add_test(tc, form_keys_are_random_hex_in_a_hidden_field);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
